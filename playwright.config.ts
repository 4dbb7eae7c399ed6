import { defineConfig, devices } from '@playwright/test';
import { TEST_OIDC_CLIENT } from './test/oidc-issuer';

const PORT = Number(process.env.E2E_PORT ?? 3100);
export const E2E_BASE_URL = process.env.E2E_BASE_URL ?? `http://localhost:${PORT}`;
// sso: e2e/sso.spec.ts starts a real OpenID Connect issuer on this port; the app is configured for
// it from the start (discovery happens per sign-in, so other specs never need it up).
export const E2E_OIDC_PORT = Number(process.env.E2E_OIDC_PORT ?? PORT + 200);

// Fixed demo passwords for the e2e instance; the specs read them from these variables.
process.env.E2E_ADMIN_PASSWORD ??= 'e2e-admin-password';
process.env.E2E_RECRUITER_PASSWORD ??= 'e2e-recruiter-password';
process.env.E2E_VIEWER_PASSWORD ??= 'e2e-viewer-password';

// The server's sign-in configuration decides the specs: with passwords switched off only the spec
// written for it runs (the others sign in with passwords), and with passwords on every other one.
const PASSWORDS_OFF_SPEC = '**/sso-passwords-off.spec.ts';
const passwordsOff = process.env.E2E_PASSWORD_SIGN_IN === 'disabled';

export default defineConfig({
  testDir: 'e2e',
  ...(passwordsOff ? { testMatch: PASSWORDS_OFF_SPEC } : { testIgnore: PASSWORDS_OFF_SPEC }),
  // Each pass keeps its own traces and report: Playwright empties its output folder when it starts,
  // so the passwords-off pass, run after the main one, erased a flaky test's first-attempt trace.
  outputDir: passwordsOff ? 'test-results/e2e-passwords-off' : 'test-results/e2e',
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI
    ? [
        ['list'],
        [
          'html',
          { open: 'never', outputFolder: passwordsOff ? 'playwright-report/passwords-off' : 'playwright-report/main' },
        ],
      ]
    : 'list',
  use: {
    baseURL: E2E_BASE_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'chromium', use: { ...devices['Desktop Chrome'], channel: undefined } }],
  webServer: process.env.E2E_BASE_URL
    ? undefined
    : {
        // The real product, started the way users start it, on its own port and its own database.
        command: `rm -rf .data/e2e-${PORT} && exec npm start`,
        url: `http://127.0.0.1:${PORT}/api/health`,
        timeout: 240_000,
        reuseExistingServer: false,
        stdout: 'pipe',
        stderr: 'pipe',
        gracefulShutdown: { signal: 'SIGTERM', timeout: 20_000 },
        env: {
          PORT: String(PORT),
          EMBEDDED_PG_PORT: process.env.E2E_PG_PORT ?? '54349',
          DATA_DIR: `.data/e2e-${PORT}`,
          APP_URL: `http://localhost:${PORT}`,
          ADMIN_PASSWORD: process.env.E2E_ADMIN_PASSWORD,
          RECRUITER_PASSWORD: process.env.E2E_RECRUITER_PASSWORD,
          VIEWER_PASSWORD: process.env.E2E_VIEWER_PASSWORD,
          MOCK_SOURCE_PORT: process.env.E2E_MOCK_PORT ?? '4110',
          // The specs' sources deliver to the mock receiver on loopback, which the guard closes by default.
          OUTBOUND_ALLOW_CIDRS: '127.0.0.1/32',
          LOG_LEVEL: 'warn',
          // A failed attempt waits 67-112 s for the next (90 s +-25 %): long enough for a spec to look
          // at a delivery waiting to retry on a busy machine before it is tried again, short enough
          // to see it finish (e2e/sync-live-state.spec.ts). No other spec retries a delivery.
          RETRY_DELAY_SECONDS: '90',
          // sso: the issuer of e2e/sso.spec.ts; password sign-in stays enabled for every other spec.
          OIDC_ISSUER: `http://127.0.0.1:${E2E_OIDC_PORT}`,
          OIDC_CLIENT_ID: TEST_OIDC_CLIENT.client_id,
          OIDC_CLIENT_SECRET: TEST_OIDC_CLIENT.client_secret,
          OIDC_DISPLAY_NAME: 'Acme ID',
          OIDC_SCOPES: 'openid email profile groups',
          OIDC_ALLOWED_DOMAINS: 'acme.test',
          OIDC_ROLE_CLAIM: 'groups',
          OIDC_ROLE_MAP: 'ats-admins=admin,ats-recruiters=recruiter,auditors=viewer',
          OIDC_DEFAULT_ROLE: 'none',
          // e2e/sso-passwords-off.spec.ts runs in a second pass with E2E_PASSWORD_SIGN_IN=disabled.
          PASSWORD_SIGN_IN: process.env.E2E_PASSWORD_SIGN_IN ?? 'enabled',
        },
      },
});
