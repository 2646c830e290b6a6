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
  projects: [
    {
      displayName: 'unit',
      testMatch: ['<rootDir>/helpers/**/*.test.ts', '<rootDir>/scripts/**/*.test.ts'],
      ...esm,
    },
    {
      displayName: 'e2e',
      testMatch: ['<rootDir>/specs/**/*.spec.ts'],
      ...esm,
    },
  ],
};

export default config;
