// ESLint (flat config) with typescript-eslint's type-checked rules, on the
// project's own tsconfig.json (through the project service). `npm run lint`
// runs `tsc --noEmit` first, then this.
import eslint from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Jest's globals. helpers/kube is a plain Kubernetes toolkit and
// helpers/providers finds clusters: both must work outside a jest run (the
// suite runner, bench, cluster checks), so their non-test files may not touch
// jest's test API. Hooks belong in helpers/suite (see also
// .dependency-cruiser.cjs, which forbids importing jest / @jest/*).
const jestGlobals = ['describe', 'test', 'it', 'expect', 'beforeAll', 'afterAll', 'beforeEach', 'afterEach', 'jest'].map(
  (name) => ({
    name,
    message: 'helpers/kube and helpers/providers run outside jest too: no jest globals here (put hooks in helpers/suite).',
  }),
);

export default defineConfig(
  {
    ignores: ['node_modules/**', 'artifacts/**', 'coverage/**', 'dist/**', 'manifests/**', 'specs/mutants/**'],
  },
  {
    files: ['**/*.ts'],
    extends: [eslint.configs.recommended, ...tseslint.configs.strictTypeChecked],
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // `() => resolve()` / `afterAll(() => fs.rmSync(...))` is the idiom for a
      // callback whose result nobody reads; braces there add noise, not safety.
      // Returning a void call from a function body is still reported.
      '@typescript-eslint/no-confusing-void-expression': ['error', { ignoreArrowShorthand: true }],
      // `const { offset: _o, ...rest } = x` is how an object is copied without
      // some keys; the omitted ones are unused on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // The @kubernetes/client-node models (V1Service, V1ObjectMeta...) are
      // declared as classes but are plain data: the client serialises object
      // literals, and its own examples build them that way. No instanceof or
      // private member depends on their being instances.
      '@typescript-eslint/no-unsafe-class-instance-assignment': 'off',
      // Numbers and booleans read fine in messages (`${count} pods`,
      // `ready=${ok}`); objects, arrays, null and undefined stay forbidden,
      // since those are what print "[object Object]" or "undefined".
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true, allowAny: false, allowNullish: false, allowRegExp: false, allowNever: false },
      ],
    },
  },
  {
    files: ['helpers/kube/**/*.ts', 'helpers/providers/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...jestGlobals],
    },
  },
  {
    // Plain JavaScript that runs before the TypeScript tooling exists
    // (scripts/bootstrap.mjs): the untyped recommended rules, Node's globals.
    files: ['**/*.mjs', '**/*.js', '**/*.cjs'],
    extends: [eslint.configs.recommended],
    languageOptions: {
      globals: globals.node,
      sourceType: 'module',
    },
  },
  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
