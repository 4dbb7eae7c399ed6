import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { describe, expect, it } from 'vitest';
import { verifySignature } from '@/scripts/mock-source/verify-signature';
import { generateSigningSecret, standardSecretProblem } from './webhook-secret';
import { signatureHeaders } from './webhook-signing';

// Verified with the `standardwebhooks` package (the reference library of standardwebhooks.com),
// never with our own code: what it accepts is what a receiver's library accepts.
const now = () => Math.floor(Date.now() / 1000);
const secretOf = (bytes: number) => `whsec_${randomBytes(bytes).toString('base64')}`;
const body = JSON.stringify({ id: 'evt', type: 'sync.completed', data: { n: 1 } });
const msg = (timestamp = now()) => ({ id: 'b6a1f7d0-8f7e-4c3e-9a55-0f2d1c3b4a59', timestamp, body });

describe('signatureHeaders, standard mode', () => {
  it('signs what the Standard Webhooks library verifies, and nothing of the legacy scheme', () => {
    const secret = generateSigningSecret();
    const headers = signatureHeaders('standard', [secret], msg());
    expect(Object.keys(headers).sort()).toEqual(['webhook-id', 'webhook-signature', 'webhook-timestamp']);
    expect(headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/]{43}=$/);
    expect(new Webhook(secret).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(generateSigningSecret()).verify(body, headers)).toThrow('No matching signature');
    expect(() => new Webhook(secret).verify(`${body} `, headers)).toThrow('No matching signature');
  });

  it('signs with every secret during a rotation: each verifies alone', () => {
    const [current, previous] = [secretOf(32), secretOf(24)];
    const headers = signatureHeaders('standard', [current, previous], msg());
    expect(headers['webhook-signature'].split(' ')).toHaveLength(2);
    expect(new Webhook(current).verify(body, headers)).toEqual(JSON.parse(body));
    expect(new Webhook(previous).verify(body, headers)).toEqual(JSON.parse(body));
    expect(() => new Webhook(secretOf(32)).verify(body, headers)).toThrow('No matching signature');
  });

  it('gives a timestamp the library refuses once it is more than 5 minutes away', () => {
    const secret = secretOf(64);
    expect(() =>
      new Webhook(secret).verify(body, signatureHeaders('standard', [secret], msg(now() - 240))),
    ).not.toThrow();
    expect(() => new Webhook(secret).verify(body, signatureHeaders('standard', [secret], msg(now() - 360)))).toThrow(
      'Message timestamp too old',
    );
    expect(() => new Webhook(secret).verify(body, signatureHeaders('standard', [secret], msg(now() + 360)))).toThrow(
      'Message timestamp too new',
    );
  });

  it('adds nothing without a secret and refuses an id that would blur the signed content', () => {
    expect(signatureHeaders('standard', [], msg())).toEqual({});
    expect(() => signatureHeaders('standard', [secretOf(32)], { ...msg(), id: 'a.b' })).toThrow('webhook-id');
    expect(() => signatureHeaders('standard', [secretOf(32)], { ...msg(), id: 'a\nb' })).toThrow('webhook-id');
  });
});

describe('signatureHeaders, legacy mode', () => {
  it('keeps X-ATS-Signature as documented and adds the standard headers keyed with the same secret', () => {
    const secret = 'an-old-style-secret-of-any-text';
    const m = msg();
    const headers = signatureHeaders('legacy', [secret], m);
    expect(headers['x-ats-timestamp']).toBe(String(m.timestamp));
    expect(headers['x-ats-signature']).toMatch(/^v1=[0-9a-f]{64}$/);
    expect(verifySignature(secret, headers['x-ats-timestamp'], body, headers['x-ats-signature'])).toBe(true);
    expect(
      verifySignature('another-secret-entirely', headers['x-ats-timestamp'], body, headers['x-ats-signature']),
    ).toBe(false);
    // The library's "raw" format: the secret's text is the key, so no secret has to change.
    expect(new Webhook(secret, { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
  });

  it('signs with every secret during a rotation: each verifies alone, in both schemes', () => {
    const [current, previous] = [generateSigningSecret(), 'whsec_an_old_url_safe-secret_0123'];
    const headers = signatureHeaders('legacy', [current, previous], msg());
    expect(headers['x-ats-signature'].split(',')).toHaveLength(2);
    for (const secret of [current, previous]) {
      expect(verifySignature(secret, headers['x-ats-timestamp'], body, headers['x-ats-signature'])).toBe(true);
      expect(new Webhook(secret, { format: 'raw' }).verify(body, headers)).toEqual(JSON.parse(body));
    }
  });
});

describe('Standard Webhooks secrets', () => {
  it('generates whsec_ secrets of 32 bytes that the library reads', () => {
    const secret = generateSigningSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(standardSecretProblem(secret)).toBeNull();
    expect(generateSigningSecret()).not.toBe(secret);
  });

  it('accepts whsec_ + padded base64 of 24 to 64 bytes and says what is wrong with anything else', () => {
    expect(standardSecretProblem(secretOf(24))).toBeNull();
    expect(standardSecretProblem(secretOf(64))).toBeNull();
    expect(standardSecretProblem(secretOf(23))).toBe('must encode 24 to 64 bytes (this one has 23)');
    expect(standardSecretProblem(secretOf(65))).toBe('must encode 24 to 64 bytes (this one has 65)');
    expect(standardSecretProblem(randomBytes(32).toString('base64'))).toMatch(/^must start with whsec_/);
    expect(standardSecretProblem(`whsec_${'-_'.repeat(22)}`)).toMatch(/padded standard base64/);
    expect(standardSecretProblem(`whsec_${randomBytes(32).toString('base64').replace(/=+$/, '')}`)).toMatch(
      /padded standard base64/,
    );
    expect(standardSecretProblem('whsec_')).toMatch(/this one has 0/);
  });
});
