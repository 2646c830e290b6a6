// Entry point of `npm test` and `npm run verify`, in plain JavaScript because
// it runs before the project's TypeScript tooling may exist: on a fresh clone
// it installs the npm dependencies (from the lockfile) first, for `test` runs
// the static checks, then hands over to scripts/run-suite.ts. Everything else
// (Debian packages, the Kubernetes build, the local cluster) is set up by the
// suite itself when needed.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const marker = join(root, 'node_modules', '.package-lock.json');
const stale = !existsSync(marker) || statSync(join(root, 'package-lock.json')).mtimeMs > statSync(marker).mtimeMs;
if (stale) {
  process.stdout.write('== npm ci (dependencies missing or older than package-lock.json)\n');
  const r = spawnSync('npm', ['ci', '--no-audit', '--no-fund'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
// `npm test` checks the code statically first and stops at the first failure,
// with the tool's own output: types and lint (`npm run lint`: tsc, ESLint, and
// actionlint on .github/workflows), then the layering (`npm run deps`: dependency-cruiser).
if (process.argv[2] === 'test') {
  for (const script of ['lint', 'deps']) {
    process.stdout.write(`== npm run ${script}\n`);
    const r = spawnSync('npm', ['run', '--silent', script], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) process.exit(r.status ?? 1);
  }
}
// Asynchronous, so that a signal sent to this process alone (by PID) is passed
// on: the runner then stops jest and removes what the run made.
const child = spawn(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'run-suite.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  // A Ctrl-C reaches the runner directly (same process group); passing it on again is harmless.
  process.on(sig, () => child.kill(sig));
}
child.on('exit', (code, signal) => process.exit(code ?? (signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 1)));
