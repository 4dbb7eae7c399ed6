import { randomBytes } from 'node:crypto';
import type { Database } from '@/db/client';
import type { CandidateStage, UserRole } from '@/db/types';
import { systemActor } from '@/lib/auth/actor';
import { generateSigningSecret } from '@/lib/http/webhook-secret';
import { createSource } from '@/lib/sources/service';
import { createUser } from '@/lib/users/service';

export type DemoCredentials = { email: string; password: string; generated: boolean; role: UserRole }[];

const FIRST = [
  'Ada',
  'Grace',
  'Linus',
  'Margaret',
  'Alan',
  'Katherine',
  'Tim',
  'Barbara',
  'Dennis',
  'Frances',
  'Ken',
  'Radia',
  'Edsger',
  'Hedy',
  'Donald',
  'Sophie',
  'John',
  'Shafi',
  'Niklaus',
  'Joan',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Torvalds',
  'Hamilton',
  'Turing',
  'Johnson',
  'Berners-Lee',
  'Liskov',
  'Ritchie',
  'Allen',
  'Thompson',
  'Perlman',
  'Dijkstra',
  'Lamarr',
  'Knuth',
  'Wilson',
  'McCarthy',
  'Goldwasser',
  'Wirth',
  'Clarke',
];

const POSTINGS = [
  {
    slug: 'senior-backend-engineer',
    title: 'Senior Backend Engineer',
    department: 'Engineering',
    location: 'Berlin',
    employment_type: 'full_time',
    size: 18,
  },
  {
    slug: 'product-designer',
    title: 'Product Designer',
    department: 'Design',
    location: 'Remote (EU)',
    employment_type: 'contract',
    size: 11,
  },
  {
    slug: 'payroll-specialist',
    title: 'Payroll Specialist',
    department: 'Finance',
    location: 'London',
    employment_type: 'part_time',
    size: 7,
  },
] as const;

const OPEN_STAGES: CandidateStage[] = ['applied', 'screening', 'interview', 'offer', 'rejected'];

export async function isDatabaseEmpty(db: Database): Promise<boolean> {
  const row = await db.selectFrom('users').select('id').limit(1).executeTakeFirst();
  return !row;
}

function passwordOr(value: string | undefined): { password: string; generated: boolean } {
  if (value) return { password: value, generated: false };
  return { password: randomBytes(9).toString('base64url'), generated: true };
}

/** Demo data for a first start: an admin, a recruiter and a viewer, three postings with candidates in every stage. */
export async function seedDemo(
  db: Database,
  options: { adminPassword?: string; recruiterPassword?: string; viewerPassword?: string; mockSourceUrl: string },
): Promise<DemoCredentials> {
  const actor = systemActor('seed');
  const admin = passwordOr(options.adminPassword);
  const recruiter = passwordOr(options.recruiterPassword);
  const viewer = passwordOr(options.viewerPassword);
  const adminUser = await createUser(db, actor, {
    email: 'admin@example.com',
    name: 'Avery Admin',
    role: 'admin',
    password: admin.password,
  });
  await createUser(db, actor, {
    email: 'recruiter@example.com',
    name: 'Riley Recruiter',
    role: 'recruiter',
    password: recruiter.password,
  });
  // An auditor's account: sees everything the admin sees, changes nothing.
  await createUser(db, actor, {
    email: 'viewer@example.com',
    name: 'Vesna Viewer',
    role: 'viewer',
    password: viewer.password,
  });

  let n = 0;
  for (const posting of POSTINGS) {
    const job = await db
      .insertInto('job_postings')
      .values({
        slug: posting.slug,
        title: posting.title,
        department: posting.department,
        location: posting.location,
        employment_type: posting.employment_type,
        created_by: adminUser.id,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const rows = Array.from({ length: posting.size }, (_, i) => {
      n += 1;
      const first = FIRST[(n * 7) % FIRST.length];
      const last = LAST[(n * 11) % LAST.length];
      // Roughly a third hired, the rest spread over the pipeline.
      const stage: CandidateStage = i % 3 === 0 ? 'hired' : OPEN_STAGES[i % OPEN_STAGES.length];
      const hiredAt = stage === 'hired' ? new Date(Date.now() - (i + 1) * 86_400_000) : null;
      return {
        job_posting_id: job.id,
        first_name: first,
        last_name: last,
        email: `${first}.${last}.${n}@example.com`.toLowerCase().replace(/[^a-z0-9.@-]/g, ''),
        phone: `+44 20 7946 ${String(1000 + n).padStart(4, '0')}`,
        stage,
        hired_at: hiredAt,
        // HR systems ask for a first working day: a month after the hire.
        start_date: hiredAt ? new Date(hiredAt.getTime() + 30 * 86_400_000).toISOString().slice(0, 10) : null,
      };
    });
    await db.insertInto('candidates').values(rows).execute();
  }
  await seedDemoSources(db, options.mockSourceUrl);
  return [
    { email: 'admin@example.com', role: 'admin', ...admin },
    { email: 'recruiter@example.com', role: 'recruiter', ...recruiter },
    { email: 'viewer@example.com', role: 'viewer', ...viewer },
  ];
}

/** Two sources pointing at the built-in mock receiver (`npm run mock-source`), one per connector. */
async function seedDemoSources(db: Database, mockSourceUrl: string): Promise<void> {
  const actor = systemActor('seed');
  const common = {
    base_url: mockSourceUrl,
    method: 'POST' as const,
    headers: {},
    field_mapping: {},
    timeout_ms: 10_000,
    max_attempts: 3,
    is_active: true,
  };
  await createSource(db, actor, {
    ...common,
    name: 'HR system (demo)',
    connector: 'generic_webhook',
    sync_endpoint: '/hris/hired',
    auth: { type: 'bearer', token: `demo_${randomBytes(12).toString('hex')}` },
    signing_secret: generateSigningSecret(),
    max_concurrency: 8,
    batch_size: 10,
  });
  await createSource(db, actor, {
    ...common,
    name: 'Payroll (demo)',
    connector: 'rest_batch',
    sync_endpoint: '/payroll/batch',
    auth: { type: 'api_key_header', header: 'X-Api-Key', value: `demo_${randomBytes(12).toString('hex')}` },
    signing_secret: null,
    max_concurrency: 4,
    batch_size: 10,
  });
}
