import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeconfigError, loadKubeConfig } from './client.js';

const kubeconfig = (server: string): string => `apiVersion: v1
kind: Config
clusters:
- name: c
  cluster: { server: "${server}", insecure-skip-tls-verify: true }
users:
- name: u
  user: { token: t0k3n }
contexts:
- name: ctx
  context: { cluster: c, user: u }
current-context: ctx
`;

describe('loadKubeConfig', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kubeconfig-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test('requests share one keep-alive agent instead of a new connection each', async () => {
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfig('https://127.0.0.1:6443'));
    const { kc } = loadKubeConfig({ kubeconfigPath: file });
    const a: https.RequestOptions = {};
    const b: https.RequestOptions = {};
    await kc.applyToHTTPSOptions(a);
    await kc.applyToHTTPSOptions(b);
    expect(a.agent).toBeDefined();
    expect(b.agent).toBe(a.agent);
    expect((a.agent as https.Agent).options.keepAlive).toBe(true);
    // The token still goes on every request.
    expect((b.headers as Record<string, string>).Authorization).toBe('Bearer t0k3n');
  });

  test('a missing file or context is named in the error', () => {
    expect(() => loadKubeConfig({ kubeconfigPath: join(dir, 'nope') })).toThrow(KubeconfigError);
    const file = join(dir, 'config');
    writeFileSync(file, kubeconfig('https://127.0.0.1:6443'));
    expect(() => loadKubeConfig({ kubeconfigPath: file, context: 'other' })).toThrow(/has no context "other" \(it has: ctx\)/);
  });
});
