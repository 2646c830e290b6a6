// Global setup of the e2e project (see cluster-check.ts for what it does).
//
// Jest loads this file with Node's own ESM resolver, which does not map the
// project's `.js` import specifiers to `.ts` files; so the work is imported
// through tsx, which does. Nothing else is imported here.
export default async function globalSetup(): Promise<void> {
  const { tsImport } = await import('tsx/esm/api');
  const check = (await tsImport('./cluster-check.ts', import.meta.url)) as typeof import('./cluster-check.js');
  await check.setupRun();
}
