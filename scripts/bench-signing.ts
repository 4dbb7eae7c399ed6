/**
 * `npx tsx scripts/bench-signing.ts`: the cost of signing one request (lib/http/webhook-signing.ts)
 * against the one HMAC the legacy scheme alone took, measured in the same run (this machine is
 * shared and noisy: compare the ratios, not the microseconds). A ~1 KB body, as a candidate.hired
 * event. Prints figures and asserts nothing.
 *
 * It also shows why the signer keys its HMAC with a KeyObject: with a Buffer key Node's createHmac
 * took several times as long as with a string or a KeyObject.
 */
import { createHmac } from 'node:crypto';
import { generateSigningSecret } from '@/lib/http/webhook-secret';
import { signatureHeaders } from '@/lib/http/webhook-signing';

const CALLS = Number(process.env.BENCH_SIGNING_CALLS ?? 200_000);
const body = JSON.stringify({ id: 'x'.repeat(36), type: 'candidate.hired', data: { blob: 'y'.repeat(900) } });
const [secret, previous] = [generateSigningSecret(), generateSigningSecret()];
const msg = { id: '3f0a1c52-7d8e-4b5f-9a61-2c3d4e5f6a7b', timestamp: Math.floor(Date.now() / 1000), body };
const key = Buffer.from(secret.slice('whsec_'.length), 'base64');

function perCall(fn: () => unknown): number {
  for (let i = 0; i < CALLS / 10; i += 1) fn();
  const start = process.hrtime.bigint();
  for (let i = 0; i < CALLS; i += 1) fn();
  return Number(process.hrtime.bigint() - start) / CALLS / 1000;
}

const baseline = perCall(() => createHmac('sha256', secret).update(`${msg.timestamp}.${body}`).digest('hex'));
const rows: [string, number][] = [
  ['baseline: one legacy HMAC (string key)', baseline],
  ['standard, 1 secret', perCall(() => signatureHeaders('standard', [secret], msg))],
  ['standard, 2 secrets (a rotation)', perCall(() => signatureHeaders('standard', [secret, previous], msg))],
  ['legacy, 1 secret (X-ATS-Signature + standard headers)', perCall(() => signatureHeaders('legacy', [secret], msg))],
  [
    'for comparison: one HMAC with a Buffer key',
    perCall(() => createHmac('sha256', key).update(body).digest('base64')),
  ],
];
for (const [name, us] of rows) {
  console.log(`${name.padEnd(56)} ${us.toFixed(2).padStart(7)} µs/call  ${(us / baseline).toFixed(2)}x`);
}
