export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // The client address for sign-in limits and audit must come from the socket (lib/api/client-ip.ts).
  const { installPeerAddressHook } = await import('@/lib/api/peer-address');
  installPeerAddressHook();
}
