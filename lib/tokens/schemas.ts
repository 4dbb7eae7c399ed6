import { z } from 'zod';

export const createTokenSchema = z.strictObject({
  name: z.string().trim().min(1, 'is required').max(100, 'must be at most 100 characters'),
  expires_at: z.iso
    .datetime({ offset: true })
    .nullable()
    .optional()
    .refine((v) => !v || new Date(v).getTime() > Date.now(), 'must be in the future'),
});
export type CreateTokenInput = z.infer<typeof createTokenSchema>;

export type PublicToken = {
  id: string;
  name: string;
  prefix: string;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  status: 'active' | 'expired' | 'revoked';
};
