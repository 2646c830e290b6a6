// What a person needs to understand a failed spec, collected at the moment of
// failure (before cleanup deletes the namespace): events, pod statuses with
// reasons, workload states and container logs (current and previous), written
// under artifacts/<spec>/<timestamp>/, plus a short summary for the failure
// message. Modelled on the Kubernetes e2e framework's namespace dump.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Kube } from './client.js';
import { paths } from './discovery.js';
import { formatDiagnosticsSummary, formatEvent, sortEvents, type Event } from './diagnostics-format.js';
import { podLogs } from './logs.js';
import { dnsLabelPart } from './ownership.js';
import { formatDeploymentState, formatEndpoints, formatPodState, formatReplicaSetState, type Deployment, type EndpointSlice, type Pod, type ReplicaSet } from './state.js';
import type { KubeList } from './wire.js';

export interface Diagnostics {
  dir: string;
  summary: string;
}

export function artifactsRoot(): string {
  return process.env.TUTORIAL_E2E_ARTIFACTS ?? path.resolve('artifacts');
}

function stamp(d = new Date()): string {
  return d.toISOString().replace(/[:.]/g, '-');
}

/**
 * Collects the namespace's state into artifacts/<spec>/<timestamp>/ and
 * returns the directory and a summary. Never throws for a piece it could not
 * get: it notes the problem in the summary and goes on.
 */
export async function collectDiagnostics(
  kube: Kube,
  namespace: string,
  opts: { spec: string; testName?: string; root?: string } ,
): Promise<Diagnostics> {
  const dir = path.join(opts.root ?? artifactsRoot(), dnsLabelPart(opts.spec, 80), stamp());
  await fs.mkdir(path.join(dir, 'logs'), { recursive: true });
  const problems: string[] = [];
  const write = (file: string, text: string): Promise<void> => fs.writeFile(path.join(dir, file), text.endsWith('\n') ? text : `${text}\n`);
  async function list<T>(what: string, p: string): Promise<T[]> {
    try {
      return (await kube.json<KubeList<T>>({ path: p, timeoutMs: 15_000 })).items;
    } catch (err) {
      problems.push(`could not list ${what}: ${(err as Error).message}`);
      return [];
    }
  }

  const [events, pods, deployments, replicaSets, slices] = await Promise.all([
    list<Event>('events', paths.events(namespace)),
    list<Pod>('pods', paths.pods(namespace)),
    list<Deployment>('deployments', paths.deployments(namespace)),
    list<ReplicaSet>('replicasets', paths.replicaSets(namespace)),
    list<EndpointSlice>('endpointslices', paths.endpointSlices(namespace)),
  ]);

  await write('events.txt', sortEvents(events).map(formatEvent).join('\n') || '(no events)');
  await write('pods.txt', pods.map(formatPodState).join('\n') || '(no pods)');
  await write('pods.json', JSON.stringify(pods, null, 2));
  await write(
    'workloads.txt',
    [
      ...deployments.map(formatDeploymentState),
      ...replicaSets.map(formatReplicaSetState),
      ...groupSlices(slices).map(([svc, s]) => `service ${svc}: ${formatEndpoints(s)}`),
    ].join('\n') || '(no deployments, replicasets or endpointslices)',
  );

  for (const p of pods) {
    const name = p.metadata?.name ?? '?';
    const statuses = [...(p.status?.initContainerStatuses ?? []), ...(p.status?.containerStatuses ?? [])];
    for (const cs of statuses) {
      const base = `logs/${name}.${cs.name}`;
      if (cs.state?.running || cs.state?.terminated) {
        try {
          await write(`${base}.log`, await podLogs(kube, namespace, name, { container: cs.name, timeoutMs: 15_000 }));
        } catch (err) {
          problems.push(`no log of ${name}/${cs.name}: ${(err as Error).message}`);
        }
      }
      if (cs.restartCount > 0 || cs.lastState?.terminated) {
        try {
          await write(`${base}.previous.log`, await podLogs(kube, namespace, name, { container: cs.name, previous: true, timeoutMs: 15_000 }));
        } catch (err) {
          problems.push(`no previous log of ${name}/${cs.name}: ${(err as Error).message}`);
        }
      }
    }
  }

  const summary = formatDiagnosticsSummary({ namespace, dir: path.relative(process.cwd(), dir) || dir, pods, events, problems });
  await write('summary.txt', `${opts.testName ? `test: ${opts.testName}\n` : ''}${summary}`);
  return { dir, summary };
}

function groupSlices(slices: readonly EndpointSlice[]): [string, EndpointSlice[]][] {
  const by = new Map<string, EndpointSlice[]>();
  for (const s of slices) {
    const svc = s.metadata?.labels?.['kubernetes.io/service-name'] ?? '(no service)';
    by.set(svc, [...(by.get(svc) ?? []), s]);
  }
  return [...by.entries()];
}
