import { describe, expect, it } from 'vitest';
import { createUserSchema } from '@/lib/users/schemas';
import { ApiError } from './api-fetch';
import { formErrorsFromApi, formErrorsFromZod } from './form-errors';

const FIELDS = ['email', 'name', 'role', 'password'] as const;

describe('form errors', () => {
  it('puts schema issues next to their fields, first message per field', () => {
    const parsed = createUserSchema.safeParse({ email: 'nope', name: '', role: 'admin', password: 'short' });
    expect(parsed.success).toBe(false);
    const errors = formErrorsFromZod(parsed.error!, FIELDS);
    expect(errors.fields).toEqual({
      email: 'Must be a valid email address',
      name: 'Required',
      password: 'Must be at least 8 characters',
    });
    expect(errors.message).toBeNull();
  });

  it('places API validation details, and keeps issues for unknown fields as the form message', () => {
    const err = new ApiError(422, 'validation_failed', 'email: taken; extra: unknown', [
      { path: 'email', message: 'must be a valid email address' },
      { path: '', message: 'Unrecognized key: "extra"' },
    ]);
    expect(formErrorsFromApi(err, FIELDS)).toEqual({
      fields: { email: 'Must be a valid email address' },
      message: 'Unrecognized key: "extra"',
    });
  });

  it('maps listed codes to a field and other codes to the form message', () => {
    const taken = new ApiError(409, 'email_taken', 'a user with email a@b.c already exists');
    expect(formErrorsFromApi(taken, FIELDS, { email_taken: 'email' })).toEqual({
      fields: { email: 'A user with email a@b.c already exists' },
      message: null,
    });
    const lastAdmin = new ApiError(422, 'invalid_state', 'the last active admin cannot be demoted or deactivated');
    expect(formErrorsFromApi(lastAdmin, FIELDS, { email_taken: 'email' })).toEqual({
      fields: {},
      message: 'The last active admin cannot be demoted or deactivated',
    });
  });

  it('reports a network failure as such', () => {
    expect(formErrorsFromApi(new TypeError('fetch failed'), FIELDS).message).toMatch(/could not reach the server/i);
  });
});
