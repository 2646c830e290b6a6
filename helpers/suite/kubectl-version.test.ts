import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectlClientVersion, KubectlVersionError, parseKubectlVersionJson } from './kubectl-version.js';

// What `kubectl version --client -o json` prints (kubectl 1.36).
const KUBECTL_1_36 = `{
  "clientVersion": {
    "major": "1",
    "minor": "36",
    "gitVersion": "v1.36.3",
    "gitCommit": "0123456789abcdef0123456789abcdef01234567",
    "gitTreeState": "clean",
    "buildDate": "2026-05-12T10:00:00Z",
    "goVersion": "go1.26.1",
    "compiler": "gc",
    "platform": "linux/amd64"
  },
  "kustomizeVersion": "v5.7.1"
}
`;

/** An executable script standing in for kubectl. */
function fakeKubectl(body: string): string {
  const file = join(mkdtempSync(join(tmpdir(), 'kubectl-')), 'kubectl');
  writeFileSync(file, `#!/bin/sh\n${body}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('parseKubectlVersionJson', () => {
  test("returns the client's gitVersion", () => {
    expect(parseKubectlVersionJson(KUBECTL_1_36)).toBe('v1.36.3');
    expect(parseKubectlVersionJson('{"clientVersion": {"gitVersion": "v1.30.2-gke.1"}}')).toBe('v1.30.2-gke.1');
  });

  test('says what is wrong with other output', () => {
    expect(() => parseKubectlVersionJson('Client Version: v1.36.3')).toThrow(/not JSON .*Client Version: v1.36.3/);
    expect(() => parseKubectlVersionJson('')).toThrow(/not JSON .*\(empty output\)/);
    expect(() => parseKubectlVersionJson('{"serverVersion": {"gitVersion": "v1.36.3"}}')).toThrow(/no clientVersion.gitVersion in: \{"serverVersion"/);
    expect(() => parseKubectlVersionJson('{"clientVersion": {"gitVersion": "unknown"}}')).toThrow(/"unknown" is not a version such as v1.36.3/);
    expect(() => parseKubectlVersionJson('null')).toThrow(KubectlVersionError);
  });
});

describe('kubectlClientVersion', () => {
  test('runs `<binary> version --client -o json`', async () => {
    const kubectl = fakeKubectl(`[ "$*" = "version --client -o json" ] || { echo "unexpected args: $*" >&2; exit 2; }\ncat <<'JSON'\n${KUBECTL_1_36}JSON`);
    await expect(kubectlClientVersion(kubectl)).resolves.toBe('v1.36.3');
  });

  test('a missing binary: an error naming it', async () => {
    const missing = join(tmpdir(), 'no-such-dir', 'kubectl-missing');
    await expect(kubectlClientVersion(missing)).rejects.toThrow(KubectlVersionError);
    await expect(kubectlClientVersion(missing)).rejects.toThrow(new RegExp(`\`${missing} version --client -o json\` failed \\(.*ENOENT`));
  });

  test('a failing binary: an error naming it, with what it said', async () => {
    const kubectl = fakeKubectl('echo "error: unknown flag: --client" >&2; exit 1');
    await expect(kubectlClientVersion(kubectl)).rejects.toThrow(`\`${kubectl} version --client -o json\` failed (exit 1: error: unknown flag: --client)`);
  });

  test('output without a version: an error naming the binary', async () => {
    const kubectl = fakeKubectl('echo "Client Version: v1.36.3"');
    await expect(kubectlClientVersion(kubectl)).rejects.toThrow(new RegExp(`from \`${kubectl} version --client -o json\`: not JSON`));
  });

  test('a binary that hangs: a timeout naming it', async () => {
    const kubectl = fakeKubectl('exec sleep 30');
    await expect(kubectlClientVersion(kubectl, { timeoutMs: 300 })).rejects.toThrow(`\`${kubectl} version --client -o json\` failed (timed out after 0.3 s)`);
  });
});
