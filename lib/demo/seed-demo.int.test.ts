import { describe, expect, it } from 'vitest';
import { getDb } from '@/lib/db';
import { authenticateWithPassword } from '@/lib/users/service';
import { isDatabaseEmpty, seedDemo } from './seed-demo';

describe('seedDemo', () => {
  it('creates both users, three postings and candidates in every stage, with hired ones', async () => {
    const db = getDb();
    expect(await isDatabaseEmpty(db)).toBe(true);
    const creds = await seedDemo(db, { adminPassword: 'admin-password-1', mockSourceUrl: 'http://127.0.0.1:4010' });
    expect(await isDatabaseEmpty(db)).toBe(false);

    const admin = creds.find((c) => c.role === 'admin')!;
    expect(admin).toMatchObject({ email: 'admin@example.com', password: 'admin-password-1', generated: false });
    const recruiter = creds.find((c) => c.role === 'recruiter')!;
    expect(recruiter.generated).toBe(true);
    expect(recruiter.password.length).toBeGreaterThanOrEqual(12);
    expect(await authenticateWithPassword(db, 'recruiter@example.com', recruiter.password, null)).not.toBeNull();
    const viewer = creds.find((c) => c.role === 'viewer')!;
    expect(viewer).toMatchObject({ email: 'viewer@example.com', generated: true });
    expect(await authenticateWithPassword(db, 'viewer@example.com', viewer.password, null)).toMatchObject({
      role: 'viewer',
    });

    const perPosting = await db
      .selectFrom('candidates')
      .innerJoin('job_postings', 'job_postings.id', 'candidates.job_posting_id')
      .select(['job_postings.slug', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy('job_postings.slug')
      .execute();
    expect(perPosting).toHaveLength(3);
    for (const p of perPosting) expect(p.n).toBeGreaterThanOrEqual(5);
    const stages = await db.selectFrom('candidates').select('stage').distinct().execute();
    expect(stages.map((s) => s.stage).sort()).toEqual([
      'applied',
      'hired',
      'interview',
      'offer',
      'rejected',
      'screening',
    ]);
    const hired = await db.selectFrom('candidates').select(['hired_at']).where('stage', '=', 'hired').execute();
    expect(hired.length).toBeGreaterThanOrEqual(6);
    expect(hired.every((h) => h.hired_at instanceof Date)).toBe(true);
    const sources = await db
      .selectFrom('sources')
      .select(['name', 'connector', 'base_url', 'auth_secret_encrypted'])
      .orderBy('name')
      .execute();
    expect(sources.map((s) => [s.name, s.connector, s.base_url])).toEqual([
      ['HR system (demo)', 'generic_webhook', 'http://127.0.0.1:4010'],
      ['Payroll (demo)', 'rest_batch', 'http://127.0.0.1:4010'],
    ]);
    expect(sources.every((s) => s.auth_secret_encrypted?.startsWith('v1:'))).toBe(true);
  });
});
