// Entry point of `npm test` and `npm run verify`, in plain JavaScript because
// it runs before the project's TypeScript tooling may exist: on a fresh clone
// it installs the npm dependencies (from the lockfile) first, then hands over
// to scripts/run-suite.ts. Everything else (Debian packages, the Kubernetes
// build, the local cluster) is set up by the suite itself when needed.
import { spawnSync } from 'node:child_process';
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
const r = spawnSync(join(root, 'node_modules', '.bin', 'tsx'), [join(root, 'scripts', 'run-suite.ts'), ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
});
process.exit(r.status ?? (r.signal === 'SIGINT' ? 130 : 1));
