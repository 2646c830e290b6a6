// The project's layering, checked by dependency-cruiser (`npm run deps`).
//
//   helpers/tutorial   the tutorial reader: pure, knows nothing of clusters
//   helpers/kube       a plain Kubernetes toolkit: no jest, no providers, no suite
//   helpers/providers  finds or makes a cluster: stands on helpers/kube only
//   helpers/suite      sections, known issues, report: joins tutorial, kube, providers
//   specs/, scripts/   the top: may use any helper; no helper may use them
//
// Each layer rule names the helpers/ siblings it may not reach; specs/ and
// scripts/ are covered once for all of helpers/ by `helpers-not-to-specs-or-scripts`
// (so a violation is reported once, under the rule that states it).
const HELPERS = '^helpers/';
const TOP = '^(specs|scripts)/';
// jest itself, its packages, its types, ts-jest: the test runner's API.
const JEST = '(^|/)node_modules/(jest[^/]*|@jest/[^/]+|@types/jest|ts-jest)/';
const UNIT_TEST = '\\.test\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'tutorial-is-standalone',
      comment:
        'helpers/tutorial reads tutorial sources (extract, snapshot, extract:check) without a cluster or a test run; ' +
        'importing kube, providers or suite would drag the Kubernetes client and jest hooks into `npm run extract`.',
      severity: 'error',
      from: { path: '^helpers/tutorial/' },
      to: { path: '^helpers/(kube|providers|suite)/' },
    },
    {
      name: 'kube-is-plain',
      comment:
        'helpers/kube is a plain Kubernetes toolkit used by the suite runner, bench, cluster checks and specs alike; ' +
        'it must not know how clusters are found (providers), how the suite is organised (suite) or what a tutorial is.',
      severity: 'error',
      from: { path: '^helpers/kube/' },
      to: { path: '^helpers/(providers|suite|tutorial)/' },
    },
    {
      name: 'kube-and-providers-not-to-jest',
      comment:
        'helpers/kube and helpers/providers run outside jest (scripts/run-suite.ts, bench, global setup); ' +
        'jest hooks and expect belong in helpers/suite. Their own *.test.ts files are exempt. ' +
        '(ESLint forbids the jest globals there too: no-restricted-globals in eslint.config.mjs.)',
      severity: 'error',
      from: { path: '^helpers/(kube|providers)/', pathNot: UNIT_TEST },
      to: { path: JEST },
    },
    {
      name: 'providers-only-to-kube',
      comment:
        'helpers/providers finds or makes a cluster and hands back a Kube client: it may use helpers/kube, ' +
        'not the suite or the tutorial reader, so that cluster:up checks and global setup stay small.',
      severity: 'error',
      from: { path: '^helpers/providers/' },
      to: { path: '^helpers/(suite|tutorial)/' },
    },
    {
      name: 'helpers-not-to-specs-or-scripts',
      comment:
        'specs/ and scripts/ are the top of the graph (entry points, jest setup, CLI scripts); a helper importing them ' +
        'runs their side effects on import and makes a cycle through the entry points. Covers helpers/suite too, ' +
        'which may otherwise use tutorial, kube and providers.',
      severity: 'error',
      from: { path: HELPERS },
      to: { path: TOP },
    },
    {
      name: 'kube-through-its-barrel',
      comment:
        'Outside helpers/kube, import it through helpers/kube/index.ts only: the barrel is its public surface, ' +
        'so its modules can be split or moved without touching specs and the suite.',
      severity: 'error',
      from: { pathNot: '^helpers/kube/' },
      to: { path: '^helpers/kube/', pathNot: '^helpers/kube/index\\.ts$' },
    },
    {
      name: 'no-circular',
      comment:
        'A cycle through value imports makes module initialisation order matter (under ESM a binding read ' +
        'before its module has run throws), and means the modules are really one.',
      severity: 'error',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'no-circular-types',
      comment:
        'A cycle that closes only through `import type` is erased at compile time, so it cannot break at run time; ' +
        'it still ties the modules together, so it is reported, as a warning (today: kube/client <-> kube/discovery).',
      severity: 'warn',
      from: {},
      to: { circular: true, via: { dependencyTypes: ['type-only'] } },
    },
    {
      name: 'not-to-unresolvable',
      comment:
        "Every import must resolve. This also guards this configuration: a `.js` specifier that did not resolve to its " +
        '`.ts` file would otherwise escape every rule above.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(node_modules|artifacts|coverage|dist|manifests|specs/mutants)/' },
    // Type-only imports count: `import type { Kube } from '../kube/client.js'`
    // ties the modules together as much as a value import does.
    tsPreCompilationDeps: true,
    // The project's compiler options (NodeNext). dependency-cruiser then resolves
    // `./client.js` to `./client.ts` as tsc does (and jest's moduleNameMapper);
    // `not-to-unresolvable` above fails the run if that ever stops working.
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.mts', '.cts', '.d.ts', '.js', '.mjs', '.cjs', '.json'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
