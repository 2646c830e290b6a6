// The Eviction API (policy/v1), what `kubectl drain` uses: the server either
// evicts the pod or refuses with 429 because a PodDisruptionBudget forbids it.
import type { Kube } from './client.js';
import { KubeHttpError } from './http.js';

export type EvictionResult =
  | { allowed: true }
  | {
      allowed: false;
      /** HTTP status: 429 when a disruption budget forbids it (500 when several budgets match). */
      status: number;
      /** The server's message, e.g. "Cannot evict pod as it would violate the pod's disruption budget." */
      message: string;
      /** Causes the server gave (e.g. DisruptionBudget: "The disruption budget web-pdb needs 2 healthy pods ..."). */
      causes: string[];
    };

export async function evictPod(kube: Kube, ns: string, pod: string, opts: { timeoutMs?: number } = {}): Promise<EvictionResult> {
  const body = JSON.stringify({ apiVersion: 'policy/v1', kind: 'Eviction', metadata: { name: pod, namespace: ns } });
  try {
    await kube.json({
      method: 'POST',
      path: `/api/v1/namespaces/${ns}/pods/${pod}/eviction`,
      body,
      timeoutMs: opts.timeoutMs ?? 15_000,
    });
    return { allowed: true };
  } catch (err) {
    if (err instanceof KubeHttpError && (err.status === 429 || err.status === 500)) {
      let causes: string[] = [];
      try {
        const st = JSON.parse(err.body) as { details?: { causes?: { reason?: string; message?: string }[] } };
        causes = (st.details?.causes ?? []).map((c) => `${c.reason ?? ''}: ${c.message ?? ''}`.trim());
      } catch {
        /* not a Status */
      }
      return { allowed: false, status: err.status, message: err.serverMessage ?? err.message, causes };
    }
    throw err;
  }
}
