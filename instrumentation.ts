export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  // The client address for sign-in limits and audit must come from the socket (lib/api/client-ip.ts).
  const { installPeerAddressHook } = await import('@/lib/api/peer-address');
  installPeerAddressHook();
  // Alerts (issue 23): the web process evaluates too, so "no worker alive" is told while none is.
  // Not while `next build` loads the app to prerender: that is no server.
  if (process.env.NEXT_PHASE === 'phase-production-build') return;
  const { startWebAlertEvaluator } = await import('@/lib/alerts/web-evaluator');
  startWebAlertEvaluator();
}
