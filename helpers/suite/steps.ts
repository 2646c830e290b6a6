// Steps the specs take the way the tutorial's reader does: commands typed in a
// shell inside a pod become non-interactive execs of the same command line,
// and what they print is compared "alike" with the output the text shows
// (the status line, not pod IPs, dates or sizes).
import type { Command, TranscriptBlock } from '../tutorial/index.js';
import { findCommands } from '../tutorial/query.js';
import {
  byName,
  execInPod,
  formatPodState,
  httpFromOutside,
  isNotFound,
  isPodReady,
  parseCurlInclude,
  paths,
  waitFor,
  type HttpAnswer,
  type Pod,
} from '../kube/index.js';
import type { ManifestLike } from '../kube/manifest.js';
import type { SpecNamespace } from '../kube/spec-namespace.js';
import type { SectionUnderTest } from './section.js';
import type { Located } from './tutorial-sections.js';

export interface InPodRun {
  command: Command;
  /** The command line actually run (pod IPs of the text replaced by the real one). */
  ran: string;
  answer: HttpAnswer;
}

/** Commands that need the internet (package installs): the stand-in images already carry what they install. */
const NEEDS_INTERNET = /^(apt|apt-get|yum|apk)\b|\b(apt|apt-get) (update|install)\b/;
const IPV4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/;

function podOf(c: Command): string | undefined {
  return c.context.where === 'pod' ? (c.context.enteredPod ?? c.context.pod) : undefined;
}

/**
 * Runs the section's in-pod commands that match, in the pod their prompt
 * names. An IPv4 address in a command is the text's example pod IP: it is
 * replaced by the IP of `ipOf` (a pod name). The published output, when the
 * text shows one, must be alike: same HTTP status line code.
 */
export async function runInPodCommands(
  s: { ns: SpecNamespace; the: Located; tutorial: import('../tutorial/index.js').Tutorial },
  opts: { pod: string; command: RegExp; ipOf?: string; inSection?: string },
): Promise<InPodRun[]> {
  const sectionKey = opts.inSection ?? s.the.section.key;
  const found = findCommands(s.tutorial).filter(
    ({ command, transcript }: { command: Command; transcript: TranscriptBlock }) =>
      transcript.sectionKey === sectionKey && podOf(command) === opts.pod && opts.command.test(command.text),
  );
  const runs: InPodRun[] = [];
  for (const { command } of found) {
    if (NEEDS_INTERNET.test(command.text)) continue;
    let ran = command.text;
    if (opts.ipOf !== undefined && IPV4.test(ran)) {
      const ip = (await s.ns.kube.core.readNamespacedPod({ name: opts.ipOf, namespace: s.ns.name })).status?.podIP;
      if (!ip) throw new Error(`pod ${opts.ipOf} has no IP yet (needed for "${command.text}")`);
      ran = ran.replace(new RegExp(IPV4.source, 'g'), ip);
    }
    // -sS: no progress meter in a non-interactive exec, but errors still shown.
    const line = ran.replace(/^curl\b/, 'curl -sS');
    const r = await execInPod(s.ns.kube, s.ns.name, opts.pod, ['sh', '-c', line], { timeoutMs: 20_000 });
    if (r.exitCode !== 0) {
      throw new Error(
        `${command.source.file}:${command.source.line}: \`${command.text}\` in pod ${opts.pod} failed (exit ${r.exitCode}): ${r.stderr.trim()}`,
      );
    }
    const answer: HttpAnswer = parseCurlInclude(r.stdout);
    expectAlike(command, answer);
    runs.push({ command, ran, answer });
  }
  if (runs.length === 0) {
    throw new Error(
      `no command matching ${opts.command} to run in pod ${opts.pod} in section ${sectionKey} of ${s.tutorial.name}`,
    );
  }
  return runs;
}

/** The published output and the real one agree on what matters: the HTTP status line's code. */
export function expectAlike(command: Command, answer: HttpAnswer): void {
  const published = command.output.find((l) => /^HTTP\/[\d.]+ \d{3}/.test(l));
  if (published === undefined) return;
  const want = /^HTTP\/[\d.]+ (\d{3})/.exec(published)?.[1];
  if (String(answer.status) !== want) {
    throw new Error(
      `${command.source.file}:${command.source.line}: \`${command.text}\` printed "${answer.statusLine ?? answer.error ?? '(nothing)'}", ` +
        `the text shows "${published}"`,
    );
  }
}

type Event = { reason?: string; involvedObject?: { name?: string; kind?: string }; message?: string };

/** Waits until the pod's events include every reason (events are recorded asynchronously). */
export async function expectEventReasons(ns: SpecNamespace, pod: string, reasons: string[]): Promise<void> {
  await waitFor<Event & { metadata?: { name?: string } }, true>(
    ns.kube,
    paths.events(ns.name),
    (events) => {
      const seen = new Set(events.filter((e) => e.involvedObject?.name === pod).map((e) => e.reason));
      return reasons.every((r) => seen.has(r)) || undefined;
    },
    {
      timeoutMs: 30_000,
      describe: `events of pod ${ns.name}/${pod} with reasons ${reasons.join(', ')}`,
      lastSeen: (events) =>
        `reasons seen: ${[...new Set(events.filter((e) => e.involvedObject?.name === pod).map((e) => e.reason))].join(', ') || '(none)'}`,
    },
  );
}

const IMAGE_ERRORS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * Waits for a pod to be Ready, failing at once (not at the deadline) when a
 * container's image cannot be pulled: a placeholder image never appears.
 */
export function podReadyOrImageError(ns: SpecNamespace, name: string, opts: { timeoutMs?: number } = {}): Promise<Pod> {
  const awaited = `pod ${ns.name}/${name} to be Ready`;
  return waitFor<Pod, Pod>(
    ns.kube,
    paths.pods(ns.name),
    ([p]) => {
      if (p === undefined) return undefined;
      if (isPodReady(p)) return p;
      for (const cs of p.status?.containerStatuses ?? []) {
        const w = cs.state?.waiting;
        if (w?.reason !== undefined && IMAGE_ERRORS.has(w.reason)) {
          throw new Error(`${awaited} will never happen: container ${cs.name} (image ${cs.image}): ${w.reason}: ${w.message ?? ''}`);
        }
      }
      return undefined;
    },
    { timeoutMs: opts.timeoutMs ?? 60_000, fieldSelector: byName(name), describe: awaited, lastSeen: ([p]) => (p ? formatPodState(p) : 'no such pod') },
  );
}

export interface SampleAsWritten {
  /** True once run() saw the Pod Ready. */
  readonly runnable: boolean;
  /**
   * Applies the sample exactly as written and waits until its Pod is Ready.
   * An image that cannot be pulled (a placeholder) fails at once, which the
   * known issues may expect for step `run-as-written`; the sample is then not
   * runnable, and the tests after it call unverifiable().
   */
  run(): Promise<void>;
  /** For a test of a sample that could not run: says so (and what is unverifiable) and checks that it is so. */
  unverifiable(what: string): void;
}

/** A section's sample Pod (health checks, volume), which a source may give with a placeholder image. */
export function sampleAsWritten(s: SectionUnderTest<object>, manifest: ManifestLike, pod: string): SampleAsWritten {
  let runnable = false;
  return {
    get runnable() {
      return runnable;
    },
    async run() {
      const outcome = await s.asWritten('run-as-written', async () => {
        await s.ns.apply([manifest]);
        await podReadyOrImageError(s.ns, pod);
      });
      runnable = outcome.status === 'passed';
    },
    unverifiable(what) {
      process.stdout.write(`${s.section}: ${s.tutorial.name}: the sample cannot run as written; ${what} unverifiable\n`);
      expect(runnable).toBe(false);
    },
  };
}

/** The QoS class Kubernetes gives a pod with these containers (requests default to limits). */
export function expectedQosClass(containers: ReadonlyArray<{ resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> } }>): string {
  const all = containers.map((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    return { requests, limits };
  });
  if (all.every((c) => Object.keys(c.requests).length === 0 && Object.keys(c.limits).length === 0)) return 'BestEffort';
  const guaranteed = all.every((c) =>
    ['cpu', 'memory'].every((r) => c.limits[r] !== undefined && String(c.requests[r]) === String(c.limits[r])),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

/**
 * A NodePort answers once kube-proxy has programmed it, a moment after the
 * Service changed; there is nothing to watch for that, so the request is
 * repeated (like the Kubernetes e2e framework's reachability checks) until it
 * answers or the deadline passes, which then names the last error seen.
 */
export async function nodePortAnswers(
  ns: SpecNamespace,
  nodePort: number,
  opts: { timeoutMs?: number; path?: string } = {},
): Promise<HttpAnswer & { url: string }> {
  const deadline = Date.now() + (opts.timeoutMs ?? 30_000);
  let last: (HttpAnswer & { url: string }) | undefined;
  let attempts = 0;
  while (Date.now() < deadline) {
    attempts++;
    last = await httpFromOutside(ns.provider, nodePort, opts.path ?? '/', { timeoutMs: 5_000 });
    if (last.error === undefined && last.status !== undefined) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(
    `timed out after ${opts.timeoutMs ?? 30_000} ms waiting for NodePort ${nodePort} to answer from outside the cluster ` +
      `(${attempts} attempts); last seen: ${last?.url ?? '?'}: ${last?.error ?? last?.statusLine ?? 'nothing'}`,
  );
}

type Service = { metadata?: { name?: string; namespace?: string }; spec?: { ports?: Array<{ nodePort?: number }> } };

/**
 * A nodePort is one per cluster: another run (or source) may hold it. Waits,
 * on a watch of every Service in the cluster, until none other than this
 * namespace's holds the port, then runs `claim`; a claim that loses a race
 * ("provided port is already allocated") waits and tries again.
 */
export async function withNodePort<T>(ns: SpecNamespace, nodePort: number, claim: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await waitFor<Service, true>(
      ns.kube,
      '/api/v1/services',
      (svcs) =>
        !svcs.some((s) => s.metadata?.namespace !== ns.name && (s.spec?.ports ?? []).some((p) => p.nodePort === nodePort)) || undefined,
      {
        timeoutMs: Math.max(1_000, deadline - Date.now()),
        describe: `nodePort ${nodePort} to be free (no Service of another namespace holding it)`,
        lastSeen: (svcs) =>
          svcs
            .filter((s) => (s.spec?.ports ?? []).some((p) => p.nodePort === nodePort))
            .map((s) => `held by ${s.metadata?.namespace}/${s.metadata?.name}`)
            .join(', ') || 'free',
      },
    );
    try {
      const claimed = await claim();
      ns.cleanup.add(`release nodePort ${nodePort}`, () => releaseNodePort(ns, nodePort));
      return claimed;
    } catch (err) {
      if (!/already allocated/.test(String((err as Error).message)) || Date.now() > deadline) throw err;
    }
  }
}

/**
 * Deletes this namespace's Services that hold the nodePort, so the next
 * holder (another source's spec) need not wait for the namespace controller.
 */
async function releaseNodePort(ns: SpecNamespace, nodePort: number): Promise<void> {
  const list = await ns.kube.json<{ items: Service[] }>({ path: paths.services(ns.name), timeoutMs: 15_000 });
  for (const svc of list.items) {
    if (!(svc.spec?.ports ?? []).some((p) => p.nodePort === nodePort)) continue;
    await ns.kube.json({ method: 'DELETE', path: `${paths.services(ns.name)}/${svc.metadata?.name}`, timeoutMs: 15_000 }).catch((err: unknown) => {
      if (!isNotFound(err)) throw err;
    });
  }
}
