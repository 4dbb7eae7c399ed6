import { Validator } from '@seriousme/openapi-schema-validator';
import { describe, expect, it } from 'vitest';
import { listRoutes, withoutTrailingSlash } from '@/test/route-table';
import { getOpenApiDocument, PATH_SPECS } from './document';
import { EXAMPLES_EXTENSION, type HttpMethod } from './operation';

const document = getOpenApiDocument();

function documented(): string[] {
  return Object.entries(document.paths ?? {}).flatMap(([p, item]) =>
    (['get', 'post', 'put', 'patch', 'delete'] as const)
      .filter((m) => item?.[m])
      .map((m) => `${m.toUpperCase()} ${withoutTrailingSlash(p)}`),
  );
}

describe('the OpenAPI document', () => {
  it('has an entry for every method of every route file, and no entry without a route', () => {
    const routes = listRoutes();
    expect(routes.length).toBeGreaterThan(45);
    const served = routes.flatMap((r) => r.methods.map((m) => `${m.toUpperCase()} ${r.template}`)).sort();
    const entries = documented().sort();
    const missing = served.filter((s) => !entries.includes(s));
    const orphans = entries.filter((e) => !served.includes(e));
    expect(missing, 'routes without a document entry (add them in lib/api/openapi/<domain>.ts)').toEqual([]);
    expect(orphans, 'document entries without a route').toEqual([]);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(document)));
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it('gives every operation a unique operationId, its access, and answers for every refusal', () => {
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(document.paths ?? {})) {
      for (const m of ['get', 'post', 'patch', 'delete'] as const) {
        const op = item?.[m];
        if (!op) continue;
        expect(ids.has(op.operationId!), `${m} ${p}`).toBe(false);
        ids.add(op.operationId!);
        expect(op.responses?.['405'], `${m} ${p}`).toBeDefined();
        const role = (op as Record<string, unknown>)['x-required-role'];
        expect(['public', 'user', 'admin'], `${m} ${p}`).toContain(role);
        if (role !== 'public') expect(op.responses?.['401'], `${m} ${p}`).toBeDefined();
        if (role === 'admin') expect(op.responses?.['403'], `${m} ${p}`).toBeDefined();
      }
    }
  });

  it('has examples that its own zod schemas accept', () => {
    let checked = 0;
    for (const specs of PATH_SPECS) {
      for (const [p, operations] of Object.entries(specs)) {
        for (const [m, spec] of Object.entries(operations) as [HttpMethod, NonNullable<(typeof operations)['get']>][]) {
          for (const [name, example] of Object.entries(spec.bodyExamples ?? {})) {
            const parsed = spec.body!.safeParse(example.value);
            expect(parsed.error?.issues ?? [], `${m} ${p} body example ${name}`).toEqual([]);
            checked += 1;
          }
          for (const [name, example] of Object.entries(spec.queryExamples ?? {})) {
            const parsed = spec.query!.safeParse(example.value);
            expect(parsed.error?.issues ?? [], `${m} ${p} query example ${name}`).toEqual([]);
            checked += 1;
          }
          for (const [status, answer] of Object.entries(spec.answers)) {
            if (answer?.example === undefined) continue;
            const parsed = answer.schema!.safeParse(answer.example);
            expect(parsed.error?.issues ?? [], `${m} ${p} ${status} example`).toEqual([]);
            checked += 1;
          }
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
    expect(JSON.stringify(document)).toContain(EXAMPLES_EXTENSION);
  });
});
