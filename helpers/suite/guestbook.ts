// Talking to the Guestbook the way its visitors do: through the frontend
// Service, from a client Pod in the cluster (the suite's, manifests/suite/),
// with the frontend's JSON interface (`guestbook.php?cmd=set|get`). Every
// check that fails says what the frontend answered and, for replication,
// what each follower says of its link to the leader.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HttpAnswer, Kinds, PodHandle } from '../kube/index.js';
import { answerManifests, type AnswerManifest, type ExerciseAnswer } from './exercise-answer.js';
import { kubectlOutcome } from './kubectl.js';
import { PROJECT_ROOT } from './project-root.js';
import type { SpecNamespace } from './spec-namespace.js';

const CLIENT_FILE = join('manifests', 'suite', 'guestbook-client.yaml');
/** The key the kubernetes.io Guestbook keeps its messages under. */
const KEY = 'messages';

export function guestbookClient(ns: SpecNamespace): { manifest: AnswerManifest; pod: PodHandle } {
  const [manifest] = answerManifests(readFileSync(join(PROJECT_ROOT, CLIENT_FILE), 'utf8'), CLIENT_FILE);
  if (manifest === undefined) throw new Error(`${CLIENT_FILE} holds no Pod`);
  return { manifest, pod: ns.pod(manifest.name) };
}

const url = (service: string, query: Record<string, string>): string => `http://${service}/guestbook.php?${new URLSearchParams(query).toString()}`;
const said = (a: HttpAnswer): string => a.error ?? `${a.statusLine ?? '(no status)'} ${a.body.trim().slice(0, 300)}`;

function json(a: HttpAnswer): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(a.body);
    return typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `cmd=set` through the frontend: it must answer `{"message": "Updated"}`. */
export async function setThroughFrontend(client: PodHandle, service: string, message: string): Promise<void> {
  const a = await client.http(url(service, { cmd: 'set', key: KEY, value: message }), { timeoutMs: 10_000 });
  if (a.status !== 200 || json(a)?.message !== 'Updated') {
    throw new Error(`writing a message through Service ${service} (cmd=set, to redis-leader) did not answer 200 {"message": "Updated"}: ${said(a)}`);
  }
}

/**
 * `cmd=get` through the frontend until it returns the message. An HTTP answer
 * cannot be watched, so it is asked again every half second until the
 * deadline; the timeout says the last answer and `evidence()`.
 */
export async function readBack(client: PodHandle, service: string, message: string, opts: { timeoutMs: number; evidence: () => Promise<string> }): Promise<void> {
  const deadline = performance.now() + opts.timeoutMs;
  let last: HttpAnswer | undefined;
  for (;;) {
    last = await client.http(url(service, { cmd: 'get', key: KEY }), { timeoutMs: 10_000 });
    if (last.status === 200 && json(last)?.data === message) return;
    if (performance.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(
    `the message written through Service ${service} was not read back through it (cmd=get, from redis-follower) within ${opts.timeoutMs / 1000} s; ` +
      `it last answered: ${said(last)}; ${await opts.evidence().catch((e: unknown) => `(the followers could not be asked: ${e instanceof Error ? e.message : String(e)})`)}`,
  );
}

/** What each follower Pod says of its link to the leader (`redis-cli info replication`). */
export async function replicationOf(ns: SpecNamespace, answer: ExerciseAnswer): Promise<string> {
  const follower = answer.guestbook.find((m) => m.object.kind === 'Deployment' && /follower/.test(m.name));
  const labels = (follower?.object as Kinds['Deployment'] | undefined)?.spec?.template.metadata?.labels ?? {};
  const pods = await ns.pods(labels).list();
  const lines = await Promise.all(
    pods.map(async (p) => {
      const name = p.metadata?.name ?? '?';
      const r = await ns.pod(name).exec(['redis-cli', 'info', 'replication']).catch((e: unknown) => ({ stdout: `(${e instanceof Error ? e.message : String(e)})` }));
      const fields = r.stdout.split(/\r?\n/).filter((l) => /^(role|master_host|master_port|master_link_status):/.test(l));
      return `${name}: ${fields.join(' ') || r.stdout.trim().slice(0, 200)}`;
    }),
  );
  return `the followers say: ${lines.join('; ') || '(no follower Pod)'}`;
}

export interface Asking {
  stop(): Promise<void>;
  result(): { expectAnsweredThroughout(): void; summary(): string };
}

/** Attempts per visit, and the pause between them: a visitor who reloads for about two seconds. */
const ATTEMPTS = 20;
const visit = (target: string): string[] => [
  'sh',
  '-c',
  `for i in $(seq ${ATTEMPTS}); do c=$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$1"); ` +
    `if [ "$c" = 200 ]; then echo "ok $i"; exit 0; fi; echo "$c" >&2; sleep 0.1; done; echo "no answer"`,
  'visit',
  target,
];

/**
 * Visits `target` from the client, one visit after another, until stopped
 * (at most 2 minutes or 400 visits): what visitors see while a Pod behind
 * the Service goes down. A visit reloads on failure, up to 20 times in about
 * two seconds: until the endpoints drop a dead Pod (the kubelet notices, the
 * EndpointSlice changes, kube-proxy rewrites its rules: a second or more on a
 * busy node), a third of new connections still reach it and are refused. A
 * visit that gets no 200 in all its attempts means the Service stopped
 * answering.
 */
export function keepAsking(client: PodHandle, target: string): Asking {
  const visits: Array<{ attempts: number; said: string }> = [];
  const state = { stopped: false };
  const until = performance.now() + 120_000;
  const loop = (async () => {
    while (!state.stopped && performance.now() < until && visits.length < 400) {
      const r = await client.exec(visit(target)).catch((e: unknown) => ({ stdout: '', stderr: String(e) }));
      const ok = /^ok (\d+)/.exec(r.stdout.trim());
      const codes = [...new Set(r.stderr.split(/\s+/).filter((c) => c !== ''))].map((c) => (c === '000' ? 'refused or timed out' : `HTTP ${c}`));
      visits.push({ attempts: ok ? Number(ok[1]) : 0, said: codes.join(', ') || r.stdout.trim().slice(0, 120) || 'no answer' });
    }
  })();
  return {
    async stop() {
      state.stopped = true;
      await loop;
    },
    result() {
      const retried = visits.filter((v) => v.attempts > 1);
      const failed = visits.findIndex((v) => v.attempts === 0);
      return {
        expectAnsweredThroughout() {
          if (visits.length < 3) throw new Error(`only ${visits.length} visit(s) to ${target} were made while the Pod was down: too few to say the Service answered throughout`);
          if (failed >= 0) {
            throw new Error(`visit ${failed + 1} of ${visits.length} to ${target} got no 200 in ${ATTEMPTS} attempts over about 2 s (${visits[failed]?.said ?? ''}): the Service stopped answering`);
          }
        },
        summary: () =>
          `all ${visits.length} visits with 200` +
          (retried.length > 0 ? `, ${retried.length} of them after ${retried.map((v) => v.attempts - 1).join(', ')} failed attempt(s) (${[...new Set(retried.map((v) => v.said))].join('; ')}) while the endpoints still listed the killed Pod` : ', each at the first attempt'),
      };
    },
  };
}

/** Lines of `kubectl describe pod` that match: how the text's reader would see them. */
export async function describeEvents(ns: SpecNamespace, pod: string, match: RegExp): Promise<string[]> {
  const r = await kubectlOutcome(ns, `kubectl describe pod ${pod}`);
  if (r.exitCode !== 0) throw new Error(`kubectl describe pod ${pod} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
  return r.stdout.split('\n').filter((l) => match.test(l));
}

type Container = NonNullable<Kinds['Deployment']['spec']>['template']['spec'] extends infer S ? (S extends { containers: Array<infer C> } ? C : never) : never;

/** What a rollback restores of the frontend's container: image, command, probes. */
export function frontendTemplateOf(d: Kinds['Deployment']): Record<string, unknown> {
  const c: Partial<Container> = d.spec?.template.spec?.containers[0] ?? {};
  return { image: c.image, command: c.command, args: c.args, livenessProbe: c.livenessProbe, readinessProbe: c.readinessProbe };
}

/** How two templates differ, field by field; undefined when they do not. */
export function templateDifference(expected: Record<string, unknown>, actual: Record<string, unknown>): string | undefined {
  const show = (v: unknown): string => (v === undefined ? '(none)' : JSON.stringify(v));
  const diffs = Object.keys({ ...expected, ...actual }).filter((k) => show(expected[k]) !== show(actual[k]));
  return diffs.length === 0 ? undefined : diffs.map((k) => `${k}: ${show(actual[k])} (expected ${show(expected[k])})`).join('; ');
}
