// The commands the text has the reader type in a shell inside a pod (`curl
// ...` at a `(bastion)#` prompt) become non-interactive execs of the same
// command line, and what they print is compared "alike" with the output the
// text shows (the status line, not pod IPs, dates or sizes).
import type { HttpAnswer } from '../kube/index.js';
import { parseCurlInclude } from '../kube/index.js';
import type { Command, TranscriptBlock } from '../tutorial/index.js';
import { findCommands } from '../tutorial/query.js';
import type { SectionUnderTest } from './section.js';
import { knowsPodNetwork } from '../providers/index.js';
import type { SectionId } from './sections.js';

export interface InPodRun {
  command: Command;
  /** The command line actually run (pod IPs of the text replaced by the real one). */
  ran: string;
  answer: HttpAnswer;
}

/** Commands that need the internet (package installs). */
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
 *
 * A package install the text has the reader type there is run as written
 * too. On a cluster whose pods cannot reach the internet it proves nothing
 * (the stand-in image carries what it installs), and the report says the
 * step is not verifiable here; elsewhere it must succeed, or fail as a known
 * issue predicts (step `apt-as-written`: Debian stretch's lists are archived).
 */
export async function runInPodCommands<I extends SectionId>(
  s: SectionUnderTest<I>,
  opts: { pod: string; command: RegExp; ipOf?: string },
): Promise<InPodRun[]> {
  const sectionKey = s.the.section.key;
  const inPod = findCommands(s.tutorial).filter(
    ({ command, transcript }: { command: Command; transcript: TranscriptBlock }) => transcript.sectionKey === sectionKey && podOf(command) === opts.pod,
  );
  for (const { command } of inPod.filter(({ command }) => NEEDS_INTERNET.test(command.text))) await installAsWritten(s, opts.pod, command);
  const runs: InPodRun[] = [];
  for (const { command } of inPod.filter(({ command }) => opts.command.test(command.text) && !NEEDS_INTERNET.test(command.text))) {
    const ran = opts.ipOf !== undefined && IPV4.test(command.text) ? command.text.replace(new RegExp(IPV4.source, 'g'), await s.ns.pod(opts.ipOf).ip()) : command.text;
    // -sS: no progress meter in a non-interactive exec, but errors still shown.
    const line = ran.replace(/^curl\b/, 'curl -sS');
    const r = await s.ns.pod(opts.pod).exec(['sh', '-c', line], { timeoutMs: 20_000 });
    if (r.exitCode !== 0) {
      throw new Error(`${command.source.file}:${command.source.line}: \`${command.text}\` in pod ${opts.pod} failed (exit ${r.exitCode}): ${r.stderr.trim()}`);
    }
    s.ran(command);
    const answer: HttpAnswer = parseCurlInclude(r.stdout);
    expectAlike(command, answer);
    runs.push({ command, ran, answer });
  }
  if (runs.length === 0) {
    throw new Error(`no command matching ${String(opts.command)} to run in pod ${opts.pod} in section ${sectionKey} of ${s.tutorial.name}`);
  }
  return runs;
}

async function installAsWritten<I extends SectionId>(s: SectionUnderTest<I>, pod: string, command: Command): Promise<void> {
  const step = `${command.source.file}:${command.source.line}: ${command.text}`;
  const run = async (): Promise<string> => {
    const r = await s.ns.pod(pod).exec(['sh', '-c', command.text], { timeoutMs: 120_000 });
    s.ran(command);
    if (r.exitCode !== 0) throw new Error(`${step} in pod ${pod} failed (exit ${r.exitCode}): ${(r.stderr || r.stdout).trim().split('\n').slice(-5).join(' | ')}`);
    return r.stdout;
  };
  const provider = s.ns.provider;
  if (knowsPodNetwork(provider) && !provider.podsReachTheInternet) {
    const outcome = await run().then(
      () => 'it ran (exit 0) with what the image already has',
      (err: unknown) => `it failed here: ${err instanceof Error ? err.message : String(err)}`,
    );
    s.notVerifiable(step, `the internet (pods of the ${provider.name} cluster cannot reach it; ${outcome})`);
    return;
  }
  const image = (await s.ns.pod(pod).read()).spec?.containers[0]?.image;
  await s.asWritten('apt-as-written', run, image === undefined ? {} : { images: [image] });
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
