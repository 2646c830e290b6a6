// The reader's session: the text's commands typed as written, in the text's
// order, in a shell whose kubectl talks to the run's cluster, in a namespace
// of the suite's own. The namespace comes from the kubeconfig's context (a
// copy of the run's kubeconfig whose context names it), never from the
// command's words; the files `-f` names are the manifests the text has the
// reader save under that name, as they are at that point of the text. On the
// minikube provider the shell has minikube too, on the run's profile (the
// walkthrough's `minikube status`, `minikube service --url`).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { execa } from 'execa';
import type { Command, Tutorial } from '../tutorial/index.js';
import { runsMinikube } from '../providers/minikube.js';
import { kubectlBinary, splitWords } from './kubectl.js';
import { filesNamedBy, savedFileAt } from './reader-files.js';
import type { SpecNamespace } from './spec-namespace.js';

export interface Typed {
  /** The command line run (the text's, with the reader's own names for generated ones and IPs). */
  line: string;
  stdout: string;
  stderr: string;
  exitCode: number | undefined;
  /** Killed at its deadline (a `--watch` or `port-forward` that does not end by itself). */
  stopped: boolean;
}

export class ReaderShell {
  private dir: string | undefined;
  /** What a provider's own CLI needs in the shell (minikube: PATH, MINIKUBE_HOME, MINIKUBE_PROFILE, DOCKER_HOST). */
  private cliEnv: NodeJS.ProcessEnv = {};

  constructor(
    readonly ns: SpecNamespace,
    private readonly tutorial: Tutorial,
  ) {}

  /** Makes the shell's folder and kubeconfig (from beforeAll on, once the namespace exists). */
  async open(): Promise<void> {
    this.dir = mkdtempSync(join(tmpdir(), 'tutorial-e2e-reader-'));
    this.ns.cleanup.add(`remove the reader's folder ${this.dir}`, () => rmSync(this.dir ?? '', { recursive: true, force: true }));
    const kubectl = kubectlBinary(this.ns.info);
    const kubeconfig = join(this.dir, '.kube', 'config');
    mkdirSync(dirname(kubeconfig), { recursive: true });
    const view = await execa(kubectl, ['config', 'view', '--raw', '--minify', `--kubeconfig=${this.ns.kube.kubeconfigPath}`, `--context=${this.ns.kube.context}`]);
    writeFileSync(kubeconfig, view.stdout, { mode: 0o600 });
    await execa(kubectl, ['config', 'set-context', '--current', `--namespace=${this.ns.name}`, `--kubeconfig=${kubeconfig}`]);
    const provider = this.ns.provider;
    if (runsMinikube(provider)) {
      const { PATH, MINIKUBE_HOME, MINIKUBE_PROFILE, MINIKUBE_WANTUPDATENOTIFICATION, MINIKUBE_IN_STYLE, DOCKER_HOST } = await provider.minikubeEnv();
      this.cliEnv = { PATH, MINIKUBE_HOME, MINIKUBE_PROFILE, MINIKUBE_WANTUPDATENOTIFICATION, MINIKUBE_IN_STYLE, DOCKER_HOST };
    }
  }

  /** The minikube profile the shell's `minikube` works on, when it has one. */
  get minikubeProfile(): string | undefined {
    return this.cliEnv.MINIKUBE_PROFILE;
  }

  private env(): NodeJS.ProcessEnv {
    if (this.dir === undefined) throw new Error('the reader shell is not open (open() in beforeAll)');
    const kubectl = kubectlBinary(this.ns.info);
    const base = this.cliEnv.PATH ?? process.env.PATH ?? '';
    const path = kubectl.includes('/') ? `${dirname(kubectl)}:${base}` : base;
    const cli = Object.fromEntries(Object.entries(this.cliEnv).filter(([k, v]) => k !== 'PATH' && v !== undefined));
    return { ...cli, PATH: path, HOME: this.dir, KUBECONFIG: join(this.dir, '.kube', 'config'), LANG: 'C.UTF-8' };
  }

  /** Saves the files the command names with -f, as the reader has them at that point; says which it could not find. */
  saveFilesFor(command: Command): string[] {
    const missing: string[] = [];
    const dir = resolve(this.dir ?? '');
    for (const name of filesNamedBy(splitWords(command.text))) {
      const file = savedFileAt(this.tutorial, name, command);
      const path = resolve(dir, name);
      // A name from the text that leads out of the reader's folder (`../x.yaml`, `/etc/x`) is never written.
      if (file === undefined || dirname(path) !== dir) missing.push(name);
      else writeFileSync(path, file.text);
    }
    return missing;
  }

  /** Types a line in the shell (`sh -c`, so pipes work as written); `stopAfterMs` ends a command that does not end by itself. */
  async type(line: string, opts: { stopAfterMs?: number; until?: (stdout: string) => boolean } = {}): Promise<Typed> {
    // In a process group of its own, so that stopping it stops what the shell started (kubectl --watch, port-forward).
    const child = execa('sh', ['-c', line], { cwd: this.dir, env: this.env(), extendEnv: false, reject: false, stdin: 'ignore', detached: true });
    let stdout = '';
    const state = { stopped: false };
    const stop = (): void => {
      if (state.stopped) return;
      state.stopped = true;
      try {
        if (child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    };
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (opts.until?.(stdout) === true) stop();
    });
    // Every command has a deadline: one that does not end by itself is stopped at it.
    const timer = setTimeout(stop, opts.stopAfterMs ?? 120_000);
    const r = await child;
    clearTimeout(timer);
    const expected = opts.stopAfterMs !== undefined || opts.until !== undefined;
    if (state.stopped && !expected) return { line, stdout, stderr: `${r.stderr}\n(did not end within 120 s: stopped)`, exitCode: undefined, stopped: false };
    return { line, stdout: stdout || r.stdout, stderr: r.stderr, exitCode: r.exitCode, stopped: state.stopped };
  }

  /** Runs a command of the text in a pod, as `kubectl exec` would for the shell the text opened there. */
  inPod(pod: string, line: string, container?: string): Promise<Typed> {
    // Every word from the text is quoted: a pod name in the text is data, never shell syntax.
    return this.type(`kubectl exec ${shellQuote(pod)}${container ? ` -c ${shellQuote(container)}` : ''} -- sh -c ${shellQuote(line)}`);
  }
}

/** One word for `sh`: single-quoted, with any single quote closed, escaped and reopened. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
