// Global teardown of the e2e project: removes namespaces this run still owns
// (a worker that crashed could not delete its own). See cluster-check.ts.
export default async function globalTeardown(): Promise<void> {
  const { tsImport } = await import('tsx/esm/api');
  const check = (await tsImport('./cluster-check.ts', import.meta.url)) as typeof import('./cluster-check.js');
  await check.teardownRun();
}
