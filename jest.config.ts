/** @jest-config-loader-options {"transpileOnly": true, "compilerOptions": {"module": "CommonJS", "moduleResolution": "Node10"}} */
import type { Config } from 'jest';

// Two kinds of test, one runner:
//  - unit: pure logic (reading tutorials, matching, reporting); no cluster.
//  - e2e: the tutorial's sections against a real cluster (specs/).
// The e2e project's global setup checks the cluster first and ends the run
// within seconds, with one clear message, when none is reachable.
const tsJest = {
  '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'tsconfig.json' }],
} as const;
const esm = {
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: tsJest,
};

const config: Config = {
  // e2e specs mostly wait on the cluster, so more workers than cores pay off:
  // each spec file (a tutorial section) runs in its own worker and namespace.
  maxWorkers: Number(process.env.TUTORIAL_E2E_WORKERS ?? 6),
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/helpers/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
      ...esm,
    },
    {
      displayName: 'e2e',
      testMatch: ['<rootDir>/specs/**/*.spec.ts'],
      // Node-loss specs stop a node: they run after these, alone (below).
      testPathIgnorePatterns: ['/node_modules/', '\\.node-loss\\.spec\\.ts$'],
      ...esm,
      // Finds the cluster (or ends the run within seconds saying how to get
      // one), sweeps earlier runs' leftovers, exports KUBECONFIG/context/run id
      // to the workers; teardown deletes namespaces a crashed worker left.
      globalSetup: '<rootDir>/specs/setup/global-setup.ts',
      globalTeardown: '<rootDir>/specs/setup/global-teardown.ts',
      // Node's environment plus a record of failed tests and hooks, which
      // useSpecNamespace turns into diagnostics in the failure message.
      testEnvironment: '<rootDir>/specs/setup/environment.ts',
      // Above every helper wait's default deadline (90 s), so a timeout shows
      // the helper's "last seen" message rather than jest's bare one.
      testTimeout: 120_000,
      // No passWithNoTests: it is a global option, not a project one, and
      // specs/helpers.spec.ts always exists, so "no tests found" cannot happen.
    },
    {
      // The tests that stop a node take every pod on it: helpers/suite/run-e2e.ts
      // runs them after the e2e project, in band, on clusters of three nodes or more.
      displayName: 'e2e-node-loss',
      testMatch: ['<rootDir>/specs/**/*.node-loss.spec.ts'],
      ...esm,
      globalSetup: '<rootDir>/specs/setup/global-setup.ts',
      globalTeardown: '<rootDir>/specs/setup/global-teardown.ts',
      testEnvironment: '<rootDir>/specs/setup/environment.ts',
      testTimeout: 120_000,
    },
  ],
};

export default config;
