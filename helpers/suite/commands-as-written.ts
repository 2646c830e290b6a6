// The reader's own commands: every command the text shows, typed as written
// in the text's order (kubectl on the host with the run's kubectl, whose
// version is part of the verdict; in-pod commands as a non-interactive
// `kubectl exec` in the pod the text's shell was opened in), and what each
// printed compared "alike" with what the text shows (alike.ts). One reader's
// session per source and part of the course: state carries from section to
// section as it does for a reader (the bastion, the Deployment), each section
// a test of its own, so a mismatch lands in the section whose heading the
// command sits under.
import { execa } from 'execa';
import type { V1Service } from '@kubernetes/client-node';
import { curledService, podOfExec } from './service-in-command.js';
import { settledPod, type KubeList, type Wire } from '../kube/index.js';
import type { Command, Tutorial } from '../tutorial/index.js';
import { clisOfRun, commandsOf, whyNotRun } from './accounting.js';
import { compareAlike, formatMismatch } from './alike.js';
import { kubectlBinary, splitWords, withDoubleDash } from './kubectl.js';
import { browserOpens, releaseNodePort, withNodePort } from './node-port.js';
import { minikubeLine, minikubeNames, urlsIn, withoutTunnelTable } from './minikube-commands.js';
import { ReaderShell, type Typed } from './reader.js';
import { savedFileAt, filesNamedBy } from './reader-files.js';
import { carriedOver, sectionContent, sectionUnderTest, shortName, viewOf } from './section.js';
import { writeRecord } from './records.js';
import { locateSection, SECTIONS } from './sections.js';
import { tutorialsUnderTest } from './sources.js';
import { useSpecNamespace, type SpecNamespace } from './spec-namespace.js';
import { isAbsent } from './tutorial-sections.js';

const TRANSIENT = /\b(Pending|ContainerCreating|PodInitializing|Terminating|Init:|Unknown)\b/;
/** Something in the output is still on its way: a transient status, or a READY count below its total (`0/1`). */
const inTransition = (out: string): boolean =>
  TRANSIENT.test(out) || [...out.matchAll(/(?:^|\s)(\d+)\/(\d+)(?=\s|$)/gm)].some((m) => Number(m[1]) < Number(m[2]));
const differencesOf = (r: ReturnType<typeof compareAlike>): string => r.differences.map((d) => d.message).join('\n');

/** Commands that only read: a reader who sees something else waits and types them again. */
const readsOnly = (t: string): boolean => /^kubectl\s+(get|describe|logs|top)\b/.test(t) || /^curl\b/.test(t);
const IPV4 = /\b\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}\b/g;

/** The default namespace's own `kubernetes` Service, which a `kubectl get service` in the text lists: not in the suite's namespace. */
function withoutDefaultNamespaceRows(c: Command): { command: Command; note?: string } {
  if (!/^kubectl\s+get\s+(svc|services?)\s*$/.test(c.text.trim())) return { command: c };
  const output = c.output.filter((l) => !/^kubernetes\s+ClusterIP\b/.test(l));
  return output.length === c.output.length
    ? { command: c }
    : { command: { ...c, output }, note: `compared without the \`kubernetes\` Service row the text shows: it is the default namespace's, and the suite runs in its own` };
}

/** withoutTunnelTable after another adaptation: both notes kept. */
function withoutTunnel(r: { command: Command; note?: string }): { command: Command; note?: string } {
  const t = withoutTunnelTable(r.command);
  const notes = [r.note, t.note].filter((n) => n !== undefined);
  return notes.length > 0 ? { command: t.command, note: notes.join('; ') } : { command: t.command };
}

/**
 * What a reader does with the URL `minikube service --url` prints: opens it
 * in a browser, which asks for the page and its favicon on one connection
 * (later outputs, such as nginx's access log, show both in one Pod's log).
 * As in browse(), once the rollout the text started is over; repeated until
 * kube-proxy has programmed the port. Each must answer; the note says what.
 */
async function urlsAnswer(ns: SpecNamespace, typed: Typed): Promise<string> {
  const urls = urlsIn(typed.stdout);
  if (urls.length === 0) throw new Error(`\`${typed.line}\` printed no URL: ${typed.stdout.trim() || typed.stderr.trim()}`);
  await rolloutsOver(ns);
  const seen: string[] = [];
  for (const url of urls) {
    const answers = await browserOpens(url).catch((err: unknown) => {
      throw new Error(`\`${typed.line}\` printed a URL that does not answer: ${err instanceof Error ? err.message : String(err)}`);
    });
    for (const a of answers) {
      if (a.status >= 500) throw new Error(`\`${typed.line}\` printed a URL whose ${a.url} answers HTTP ${a.status}`);
      seen.push(`GET ${a.url} -> ${a.status}`);
    }
  }
  return `opened the URL minikube printed, from this machine, as a browser does (one connection): ${seen.join(', ')}`;
}

interface SectionRun {
  mismatches: string[];
  notes: string[];
}

/**
 * The reader's session of one source: the IPs the text showed for pods (the
 * reader looks them up in `kubectl get pod -o wide` and types them), and the
 * names a reader types in place of generated ones.
 */
class Session {
  readonly ipOwners = new Map<string, string>();
  constructor(
    readonly shell: ReaderShell,
    /** The text under the session's headings: all the session reads. */
    readonly view: Tutorial,
  ) {}

  /** Remembers which pod the text showed at which IP (an `-o wide` table). */
  learn(c: Command): void {
    const [header, ...rows] = c.output;
    const columns = header?.trim().split(/\s{2,}/) ?? [];
    const ip = columns.indexOf('IP');
    if (ip < 0) return;
    for (const row of rows) {
      const cells = row.trim().split(/\s{2,}/);
      const name = cells[0];
      const addr = cells[ip];
      if (name !== undefined && addr !== undefined && /^\d+\.\d+\.\d+\.\d+$/.test(addr)) this.ipOwners.set(addr, name);
    }
  }

  /** The text's pod IPs replaced by the real IPs of the pods the text showed at them. */
  async withRealIps(line: string): Promise<{ line: string; notes: string[] }> {
    const notes: string[] = [];
    let out = line;
    for (const ip of new Set(line.match(IPV4) ?? [])) {
      const pod = this.ipOwners.get(ip);
      if (pod === undefined) continue;
      const real = await this.shell.ns.pod(pod).ip();
      out = out.replaceAll(ip, real);
      notes.push(`typed ${pod}'s IP ${real} for the text's ${ip}`);
    }
    return { line: out, notes };
  }

  /** A generated pod name of the text (`nginx-deployment-5b4c7f657-cbd8r`) replaced by a live pod of the same owner. */
  async withOwnNames(line: string): Promise<{ line: string; notes: string[] }> {
    const notes: string[] = [];
    const words = splitWords(line);
    if (!/^kubectl\s+(logs|exec|describe|delete)\b/.test(line)) return { line, notes };
    const pods = (await this.shell.ns.pods('').list()).filter((p) => p.metadata?.deletionTimestamp === undefined).map((p) => p.metadata?.name ?? '');
    let out = line;
    for (const w of words) {
      if (pods.includes(w)) continue;
      const m = /^(.+?)-(?:[a-z0-9]{6,10}-)?[a-z0-9]{5}$/.exec(w);
      if (m === null) continue;
      const candidates = pods.filter((p) => p.startsWith(`${m[1] ?? ''}-`) && /^(?:[a-z0-9]{6,10}-)?[a-z0-9]{5}$/.test(p.slice((m[1] ?? '').length + 1)));
      // For `kubectl logs`, the pod that served the requests, as a reader looking for them picks it.
      const mine = /^kubectl\s+logs\b/.test(line) ? await busiest(this.shell, candidates) : candidates[0];
      if (mine === undefined) continue;
      out = out.replace(w, mine);
      notes.push(`typed the pod name ${mine} for the text's ${w}`);
    }
    return { line: out, notes };
  }
}

/** The pod with the longest log. */
async function busiest(shell: ReaderShell, pods: readonly string[]): Promise<string | undefined> {
  let best: { pod: string; lines: number } | undefined;
  for (const pod of pods) {
    const lines = (await shell.ns.pod(pod).logs()).split('\n').length;
    if (best === undefined || lines > best.lines) best = { pod, lines };
  }
  return best?.pod;
}

/** The namespace's Services, as the reader's `kubectl get service` would list them. */
async function servicesOf(ns: SpecNamespace): Promise<Array<Wire<V1Service>>> {
  return (await ns.kube.json<KubeList<Wire<V1Service>>>({ path: `/api/v1/namespaces/${ns.name}/services`, timeoutMs: 15_000 })).items;
}

/** Waits until every Deployment of the namespace has rolled out. */
async function rolloutsOver(ns: SpecNamespace): Promise<void> {
  const deployments = (await ns.kube.json<KubeList<{ metadata?: { name?: string } }>>({ path: `/apis/apps/v1/namespaces/${ns.name}/deployments`, timeoutMs: 15_000 })).items;
  for (const d of deployments) await ns.deployment(d.metadata?.name ?? '').rolledOut({ timeoutMs: 90_000 });
}

/**
 * kubectl's refusals while a rollout is still under way: a container that has
 * not started yet, a Pod deleted between listing it and reading its log.
 */
const MID_ROLLOUT = /is waiting to start|\(NotFound\): pods? "[^"]*" not found/;

/**
 * What the reader's browser asks for when the text has them open a NodePort
 * (`open http://<node>:30000/`, the URL `minikube service --url` prints): the
 * page and its favicon. Later outputs (nginx's access log) show these
 * requests, so the suite makes them, to a ready Pod behind the Service
 * through the API server's proxy: it reaches the Pod on any cluster (kind's
 * pod IPs are not routable from this machine), and NodePort reachability
 * itself is the NodePort spec's check (a nodePort another namespace held a
 * moment ago may still be routed there).
 */
async function browse(session: Session, c: Command): Promise<string | undefined> {
  const ns = session.shell.ns;
  const named = /^minikube\s+service\s+(\S+)/.exec(c.text.trim())?.[1];
  const port = Number(/:(\d{5})\b/.exec(c.text)?.[1] ?? NaN);
  const services = await servicesOf(ns);
  const svc = services.find((x) => (named !== undefined ? x.metadata?.name === named : (x.spec?.ports ?? []).some((p) => p.nodePort === port)));
  const name = svc?.metadata?.name;
  if (name === undefined) return undefined;
  const target = svc?.spec?.ports?.[0]?.targetPort ?? svc?.spec?.ports?.[0]?.port ?? 80;
  // The reader looks at the page once the rollout the text started is over (the Cybozu text shows
  // no output to wait for): a Pod on its way out would take the requests with it.
  await rolloutsOver(ns);
  const endpoints = await ns.service(name).endpoints((a) => a.ready.length > 0, 'to have a ready Pod for the browser', { timeoutMs: 30_000 });
  const ip = endpoints.ready[0] ?? '';
  const pod = (await ns.pods('').list()).find((p) => p.status?.podIP === ip && p.metadata?.deletionTimestamp === undefined)?.metadata?.name;
  if (pod === undefined) return `no Pod with the ready endpoint's IP ${ip} to browse`;
  const answers: string[] = [];
  for (const path of ['/', '/favicon.ico']) {
    const r = await ns.kube.raw({ path: `/api/v1/namespaces/${ns.name}/pods/${pod}:${String(target)}/proxy${path}`, timeoutMs: 10_000 }).then(
      (res) => `${res.status}`,
      (err: unknown) => (err instanceof Error ? err.message : String(err)),
    );
    answers.push(`GET ${path} -> ${r}`);
  }
  return `made the requests a browser makes, to ready Pod ${pod} of Service ${name} through the API server's proxy: ${answers.join(', ')}`;
}

async function typeCommand(session: Session, c: Command): Promise<{ typed: Typed; notes: string[] }> {
  const shell = session.shell;
  const t = c.text.trim();
  if (c.context.where === 'pod') {
    const pod = c.context.enteredPod ?? c.context.pod;
    const { line, notes } = await session.withRealIps(t);
    return { typed: await shell.inPod(pod, line, c.context.container), notes };
  }
  if (/^minikube\b/.test(t)) {
    const { line, note } = minikubeLine(t, shell.ns.name);
    return { typed: await shell.type(line), notes: note !== undefined ? [note] : [] };
  }
  const { line, notes } = await session.withOwnNames(t);
  if (/\bport-forward\b/.test(t)) {
    // It serves until stopped: typed, seen forwarding, stopped.
    return { typed: await shell.type(line, { stopAfterMs: 15_000, until: (out) => /Forwarding from/.test(out) }), notes };
  }
  if (/\s(--watch|-w)\b/.test(t)) {
    const until = (out: string): boolean => compareAlike(c, out).alike;
    return { typed: await shell.type(line, { stopAfterMs: 45_000, until }), notes };
  }
  return { typed: await shell.type(line), notes };
}

async function runSection(session: Session, s: ReturnType<typeof sectionUnderTest>, commands: readonly Command[]): Promise<SectionRun> {
  const run: SectionRun = { mismatches: [], notes: [] };
  const claimed = new Set<number>();
  try {
    await typeAll(session, s, commands, run, claimed);
  } finally {
    // A nodePort is one per cluster: the other sources' readers (and the NodePort spec) need it next.
    for (const port of claimed) {
      await releaseNodePort(s.ns, port);
      run.notes.push(`released nodePort ${port} (the Service holding it deleted) at the end of the section, for the other sources`);
    }
  }
  return run;
}

async function typeAll(session: Session, s: ReturnType<typeof sectionUnderTest>, commands: readonly Command[], run: SectionRun, claimed: Set<number>): Promise<void> {
  for (const original of commands) {
    const at = `${original.source.file}:${original.source.line}`;
    const why = whyNotRun(original, clisOfRun(session.shell.ns.provider.name));
    if (why !== undefined) {
      run.notes.push(`${at}: \`${original.text}\` not typed: ${why}`);
      const browsed = /browser|minikube/.test(why) ? await browse(session, original) : undefined;
      if (browsed !== undefined) run.notes.push(`${at}: ${browsed}`);
      continue;
    }
    const { command: c, note } = withoutTunnel(withoutDefaultNamespaceRows(original));
    if (note !== undefined) run.notes.push(`${at}: ${note}`);
    const missing = session.shell.saveFilesFor(c);
    if (missing.length > 0) {
      run.mismatches.push(`${at}: \`${c.text}\` names ${missing.join(', ')}, which the text gives no manifest for before it`);
      continue;
    }
    const waited = await serviceReachableFirst(s, c);
    if (waited !== undefined) run.notes.push(`${at}: ${waited}`);
    const nodePort = nodePortOf(s.tutorial, c);
    if (nodePort !== undefined) claimed.add(nodePort);
    const type = async (): Promise<{ typed: Typed; notes: string[] }> => {
      const r = await typeCommand(session, c);
      // Lost the nodePort to another session between its check and this command: withNodePort waits and types it again.
      if (nodePort !== undefined && !r.typed.stopped && r.typed.exitCode !== 0 && /already allocated/.test(r.typed.stderr)) throw new Error(r.typed.stderr.trim());
      return r;
    };
    let result: { typed: Typed; notes: string[] } | undefined;
    // A reader reads logs once the Pods the text shows are there: the rollout an earlier command started is over.
    if (/^kubectl\s+logs\b/.test(c.text.trim())) await rolloutsOver(s.ns);
    // A budget's status counts the Pods that are Ready: read once every Pod has settled (on one node the
    // anti-affinity sample's second replica stays Pending, so not "rolled out"), not while one still starts.
    if (/^kubectl\s+get\s+(pdb|poddisruptionbudgets?)\b/.test(c.text.trim())) await s.ns.pods('').settle({ all: settledPod });
    const outcome = await s.asWritten(stepOf(c), async () => {
      result = nodePort === undefined ? await type() : await withNodePort(s.ns, nodePort, type);
      if (!result.typed.stopped && result.typed.exitCode !== 0 && readsOnly(c.text.trim()) && MID_ROLLOUT.test(result.typed.stderr)) {
        // A reader who reads the logs while the rollout still starts a Pod waits for it, and types the command again.
        const first = result.typed.stderr.trim().split('\n')[0] ?? '';
        await rolloutsOver(s.ns);
        result = await type();
        result.notes.push(`typed again once the rollout was over (the first time: ${first})`);
      }
      s.ran(c);
      const { typed } = result;
      if (!typed.stopped && typed.exitCode !== 0) {
        throw new Error(`${at}: \`${typed.line}\` failed (exit ${String(typed.exitCode)}): ${(typed.stderr || typed.stdout).trim().split('\n').slice(-3).join(' | ')}`);
      }
      if (/^minikube\s+service\b.*\s--url\b/.test(c.text.trim())) result.notes.push(await urlsAnswer(s.ns, typed));
    });
    if (outcome.status === 'known-issue' && outcome.issue.then !== undefined) {
      // What a reader who met this issue types next (the entry's fix), before the text goes on.
      for (const line of outcome.issue.then) {
        const typed = await session.shell.type(line);
        run.notes.push(`${at}: after the known issue ${outcome.issue.id}, typed \`${line}\` (exit ${String(typed.exitCode)})`);
        if (typed.exitCode !== 0) run.mismatches.push(`${at}: the fix of known issue ${outcome.issue.id}, \`${line}\`, failed (exit ${String(typed.exitCode)}): ${typed.stderr.trim()}`);
      }
      continue;
    }
    if (outcome.status === 'known-issue' && stepOf(c) === 'exec-as-written') {
      // As the reader who reads kubectl's message does: the same command with the `--` it asks for.
      const corrected = await session.shell.type(withDoubleDash(c.text.trim()));
      run.notes.push(`${at}: typed \`${corrected.line}\` (exit ${String(corrected.exitCode)}), as kubectl asks, after the known issue ${outcome.issue.id}`);
      continue;
    }
    if (result === undefined) continue;
    run.notes.push(...result.notes.map((n) => `${at}: ${n}`));
    session.learn(c);
    if (c.output.length === 0) continue;
    const first = result.typed;
    const compared = (r: 'alike' | 'known-issue' | 'unlike'): void => writeRecord({ type: 'compared', section: s.section, source: s.tutorial.name, at, result: r });
    try {
      const outcome = await s.asWritten(`output-alike ${at}`, async () => {
        let typed = first;
        const names = minikubeNames(c, session.shell.minikubeProfile);
        const opts = names !== undefined ? { names } : {};
        let alike = compareAlike(c, typed.stdout, opts);
        // A reader who sees another state waits and types it again: until it
        // is alike, or the deadline, or the cluster has settled on another
        // answer (the same differences three times, nothing in transition).
        const deadline = Date.now() + 30_000;
        let same = 0;
        while (!alike.alike && readsOnly(c.text.trim()) && Date.now() < deadline && same < 3) {
          await new Promise((r) => setTimeout(r, 1_500));
          const before = differencesOf(alike);
          typed = (await typeCommand(session, c)).typed;
          alike = compareAlike(c, typed.stdout, opts);
          same = differencesOf(alike) === before && !inTransition(typed.stdout) ? same + 1 : 0;
        }
        if (!alike.alike) throw new Error(formatMismatch(c, typed.stdout, alike));
      });
      compared(outcome.status === 'passed' ? 'alike' : 'known-issue');
    } catch (err) {
      compared('unlike');
      run.mismatches.push(err instanceof Error ? err.message : String(err));
    }
  }
}

/**
 * Before a command that curls a Service of the namespace from a pod: waits
 * until the Service accepts connections there (kube-proxy programs it about
 * a second after its endpoints are ready; a reader who has just created it
 * types the next command later than that). Says so when it had to wait; a
 * Service that never answers is left to the command itself to show.
 */
async function serviceReachableFirst(s: ReturnType<typeof sectionUnderTest>, c: Command): Promise<string | undefined> {
  const text = c.text.trim();
  if (!/\bcurl\b/.test(text)) return undefined;
  const pod = c.context.where === 'pod' ? (c.context.enteredPod ?? c.context.pod) : podOfExec(text);
  if (pod === undefined) return undefined;
  const services = await servicesOf(s.ns);
  const name = curledService(text, services.map((x) => x.metadata?.name ?? ''));
  if (name === undefined) return undefined;
  try {
    const { tries, ms } = await s.ns.service(name).reachableFrom(s.ns.pod(pod), { timeoutMs: 20_000 });
    return tries > 1 ? `typed once Service ${name} accepted connections from ${pod} (${tries} tries, ${(ms / 1000).toFixed(1)} s: kube-proxy had not programmed it yet)` : undefined;
  } catch (err) {
    return `typed although Service ${name} did not accept connections from ${pod}: ${err instanceof Error ? err.message : String(err)}`;
  }
}

/**
 * The known-issues step a command of the text is run as: `exec-as-written`
 * for `kubectl exec` (the kubectl client's own break), else `command-as-written
 * <file:line>`, so an entry names the one command it expects to fail.
 */
function stepOf(c: Command): string {
  return /^kubectl\s+exec\b/.test(c.text.trim()) && c.context.where === 'host' ? 'exec-as-written' : `command-as-written ${c.source.file}:${c.source.line}`;
}

/** The nodePort a command's file claims (cluster-wide: taken only when free, released when the source's session ends). */
function nodePortOf(t: Tutorial, c: Command): number | undefined {
  for (const name of filesNamedBy(splitWords(c.text))) {
    const file = savedFileAt(t, name, c);
    const m = file === undefined ? null : /nodePort:\s*(\d+)/.exec(file.text);
    if (m !== null) return Number(m[1]);
  }
  return undefined;
}

/** The runs of sections the reader goes through in one namespace: a new one where a section starts fresh. */
function sessionsOf<R extends { readerStartsFresh?: true }>(rows: readonly R[]): R[][] {
  const groups: R[][] = [];
  for (const row of rows) {
    const last = groups.at(-1);
    if (last === undefined || row.readerStartsFresh === true) groups.push([row]);
    else last.push(row);
  }
  return groups;
}

/**
 * Declares the reader's sessions of one part of the course (1 or 2): per
 * source a namespace and a shell, and per section and source a test that
 * types the section's commands.
 */
export function verifyCommandsAsWritten(part: 1 | 2, shard: { index: number; of: number } = { index: 1, of: 1 }): void {
  const sections = SECTIONS.filter((r) => r.part === part);
  // A file types its sources' sessions one after another; a part split into shards (files of
  // their own, run in parallel) takes every `of`-th source, starting at the `index`-th.
  const all = tutorialsUnderTest();
  const tutorials = all.filter((_, i) => i % shard.of === shard.index - 1);
  // A session per source and run of sections the reader goes through in one
  // namespace (see readerStartsFresh in the section table).
  const sessions = new Map<string, Session>();
  const key = (source: string, section: string): string => `${source}\u0000${section}`;
  for (const tutorial of tutorials) {
    for (const group of sessionsOf(sections)) {
      const present = group.flatMap((row) => {
        const located = locateSection(row.id, tutorial);
        return isAbsent(located) ? [] : [{ row, located }];
      });
      // `verify --since`: a session whose every section carries its verdict over would type the same
      // commands into the same files again (it sees only these sections' text, which their keys cover).
      if (present.length > 0 && present.every(({ row, located }) => carriedOver(sectionContent(row.id, tutorial, located).key) !== undefined)) continue;
      const ids = new Set<string>(group.map((row) => row.id));
      const ns = useSpecNamespace(`reader-${group[0]?.id ?? 'part'}-${shortName(tutorial.name)}`, {
        owns: (test) => test.includes(` ${tutorial.name} `) && [...ids].some((id) => test.startsWith(`${id} `)),
        // One session spans several sections: each failed test's fault goes to its own section.
        onClusterFault: (faults, tests) => {
          for (const id of ids) {
            const theirs = tests.filter((t) => t.startsWith(`${id} `));
            if (theirs.length > 0) writeRecord({ type: 'cluster-fault', section: id, source: tutorial.name, tests: theirs, faults: faults.map((f) => f.what) });
          }
        },
      });
      // The reader sees the text under the session's headings, as a section's spec sees its own.
      const view = viewOf(group.map((row) => row.id), tutorial);
      const shell = new ReaderShell(ns, view);
      beforeAll(() => shell.open(), 60_000);
      const session = new Session(shell, view);
      for (const row of group) sessions.set(key(tutorial.name, row.id), session);
    }
  }
  beforeAll(async () => {
    const [first] = sessions.values();
    if (first === undefined) return;
    const kubectl = kubectlBinary(first.shell.ns.info);
    const v = await execa(kubectl, ['version', '--client']).catch(() => undefined);
    process.stdout.write(`commands as written with ${kubectl}: ${v?.stdout.split('\n')[0] ?? '(version unknown)'}\n`);
  });
  // A source may have no command under this part's headings (the Cybozu course's Part 2 has none):
  // jest refuses a file without a test, which would fail every section of the part. Then the file
  // says so in one skipped test, and types nothing.
  const typed = (row: (typeof sections)[number], t: Tutorial): boolean =>
    !isAbsent(locateSection(row.id, t)) && commandsOf(t, row.id).length > 0 && sessions.has(key(t.name, row.id));
  const [firstRow] = sections;
  const [firstSource] = all;
  if (firstRow !== undefined && firstSource !== undefined && !sections.some((row) => tutorials.some((t) => typed(row, t)))) {
    const whose = shard.of > 1 ? `shard ${shard.index} of ${shard.of} (${tutorials.length} of the run's ${all.length} source(s))` : 'no source';
    describe(firstRow.id, () => {
      describe(firstSource.name, () => {
        test.skip(`${whose}: no command under Part ${part}'s headings to type as written (or every session's sections carry their verdicts over)`, () => undefined);
      });
    });
  }
  for (const row of sections) {
    describe(row.id, () => {
      for (const tutorial of tutorials) {
        describe(tutorial.name, () => {
          const located = locateSection(row.id, tutorial);
          const commands = commandsOf(tutorial, row.id);
          if (isAbsent(located) || commands.length === 0) return;
          const session = sessions.get(key(tutorial.name, row.id));
          if (session === undefined) return;
          test(`the reader's ${commands.length} command(s) under this heading, typed as written, print what the text shows`, async () => {
            const s = sectionUnderTest(row.id, session.view, located, session.shell.ns);
            const run = await runSection(session, s, commands);
            for (const n of run.notes) process.stdout.write(`${row.id} / ${tutorial.name}: ${n}\n`);
            if (run.mismatches.length > 0) {
              throw new Error(`${run.mismatches.length} command(s) of the text did not print what it shows:\n\n${run.mismatches.join('\n\n')}`);
            }
          }, 600_000);
        });
      }
    });
  }
}
