// What the providers that create their own cluster (kind, minikube) share:
// the marker that says a cluster is theirs to delete, the removal of their
// own state folder, and CoreDNS closed to everything past the machine.
import fs from 'node:fs';
import path from 'node:path';
import { rolloutComplete, type Kube } from '../kube/index.js';

/** The marker of a cluster this provider created: what delete() checks before it deletes anything. */
export interface CreatedMarker {
  cluster: string;
  /** The kube-system namespace's UID right after creation: a cluster recreated by someone else under the same name has another. */
  kubeSystemUid?: string;
  image: string;
  createdAt: string;
}

/** Removes the provider's state folder, then its parents up to `tutorial-e2e` while they are empty. */
export function removeOwnFolder(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
  let parent = path.dirname(dir);
  for (let i = 0; i < 2 && /tutorial-e2e/.test(parent); i++) {
    try {
      fs.rmdirSync(parent);
    } catch {
      return; // not empty, or not there
    }
    parent = path.dirname(parent);
  }
}

export function readMarker(file: string): CreatedMarker | undefined {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as CreatedMarker;
  } catch {
    return undefined;
  }
}

export function lastLines(text: string, n = 5): string {
  return text.trim().split('\n').slice(-n).join(' | ');
}

/**
 * Puts `corefile` into kube-system/coredns and restarts CoreDNS with it
 * (a changed template annotation, as `kubectl rollout restart` does).
 */
export async function closeCoreDns(kube: Kube, corefile: string): Promise<void> {
  const patch = async (p: string, body: object): Promise<void> => {
    await kube.json({ method: 'PATCH', path: p, contentType: 'application/merge-patch+json', body: JSON.stringify(body), timeoutMs: 15_000 });
  };
  await patch('/api/v1/namespaces/kube-system/configmaps/coredns', { data: { Corefile: corefile } });
  await patch('/apis/apps/v1/namespaces/kube-system/deployments/coredns', {
    spec: { template: { metadata: { annotations: { 'tutorial-e2e/corefile': new Date().toISOString() } } } },
  });
  await rolloutComplete(kube, 'kube-system', 'coredns', { timeoutMs: 120_000 });
}
