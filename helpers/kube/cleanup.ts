// A cleanup registry: whatever a spec creates outside its namespace (or the
// namespace itself) registers how to undo it; everything runs last-in,
// first-out in afterAll, and also when the run is interrupted (SIGINT from
// Ctrl-C, SIGTERM from CI), after which the process exits with the
// conventional 128+signal code (130, 143).
import { formatDuration } from './ownership.js';

export type CleanupFn = () => Promise<void> | void;

interface Entry {
  what: string;
  fn: CleanupFn;
}

export interface CleanupFailure {
  what: string;
  error: Error;
}

export class CleanupRegistry {
  private entries: Entry[] = [];

  get size(): number {
    return this.entries.length;
  }

  /** Registers an undo step; returns a function that unregisters it (when the spec undid it itself). */
  add(what: string, fn: CleanupFn): () => void {
    const e: Entry = { what, fn };
    this.entries.push(e);
    return () => {
      this.entries = this.entries.filter((x) => x !== e);
    };
  }

  /**
   * Runs every step, newest first, each bounded by `stepTimeoutMs`; a failing
   * step does not stop the others. Resolves with the failures.
   */
  async runAll(opts: { stepTimeoutMs?: number } = {}): Promise<CleanupFailure[]> {
    const stepTimeoutMs = opts.stepTimeoutMs ?? 150_000;
    const failures: CleanupFailure[] = [];
    for (let e = this.entries.pop(); e !== undefined; e = this.entries.pop()) {
      let timer: NodeJS.Timeout | undefined;
      try {
        await Promise.race([
          Promise.resolve().then(e.fn),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`did not finish within ${formatDuration(stepTimeoutMs)}`)), stepTimeoutMs);
          }),
        ]);
      } catch (err) {
        failures.push({ what: e.what, error: err instanceof Error ? err : new Error(String(err)) });
      } finally {
        clearTimeout(timer);
      }
    }
    return failures;
  }
}

export function formatCleanupFailures(failures: readonly CleanupFailure[]): string {
  return `cleanup failed for ${failures.length} step(s):\n${failures.map((f) => `  - ${f.what}: ${f.error.message}`).join('\n')}`;
}

const SIGNAL_EXIT: Record<'SIGINT' | 'SIGTERM', number> = { SIGINT: 130, SIGTERM: 143 };

/**
 * The process that receives signals. Inside a jest test file `process` is a
 * copy whose process.on() never fires for signals; the e2e environment
 * (specs/setup/environment.ts) hands over the real one under this key.
 */
function signalProcess(): NodeJS.Process {
  const real = (globalThis as Record<string, unknown>)['__tutorialE2eRealProcess'];
  return (real as NodeJS.Process | undefined) ?? process;
}

/** The registries of this process (one per spec namespace: a file may have several) that a signal cleans up. */
const armed = new Set<CleanupRegistry>();
let uninstall: (() => void) | undefined;

/**
 * On SIGINT/SIGTERM: run every armed registry, all at once (bounded: an
 * interrupted run must still end), then exit 128+signal. Exiting when the
 * first registry is done would cut the others short: a file with several
 * namespaces (the reader's sessions) left all but one behind. Returns a
 * function that disarms this registry.
 */
export function installSignalCleanup(registry: CleanupRegistry, opts: { boundMs?: number; log?: (s: string) => void } = {}): () => void {
  armed.add(registry);
  if (uninstall === undefined) {
    const proc = signalProcess();
    const log = opts.log ?? ((s: string) => proc.stderr.write(`${s}\n`));
    const boundMs = opts.boundMs ?? 20_000;
    let running = false;
    const handler = (signal: 'SIGINT' | 'SIGTERM'): void => {
      if (running) return;
      running = true;
      const all = [...armed];
      log(`tutorial-e2e: ${signal}: cleaning up ${all.reduce((n, r) => n + r.size, 0)} step(s) of ${all.length} namespace(s) before exiting`);
      const bound = setTimeout(() => {
        log('tutorial-e2e: cleanup did not finish in time; exiting (the next run sweeps leftovers)');
        proc.exit(SIGNAL_EXIT[signal]);
      }, boundMs);
      void Promise.all(all.map((r) => r.runAll({ stepTimeoutMs: boundMs })))
        .then((failures) => {
          const flat = failures.flat();
          if (flat.length > 0) log(formatCleanupFailures(flat));
        })
        .finally(() => {
          clearTimeout(bound);
          proc.exit(SIGNAL_EXIT[signal]);
        });
    };
    const onInt = (): void => handler('SIGINT');
    const onTerm = (): void => handler('SIGTERM');
    proc.on('SIGINT', onInt);
    proc.on('SIGTERM', onTerm);
    uninstall = () => {
      proc.off('SIGINT', onInt);
      proc.off('SIGTERM', onTerm);
      uninstall = undefined;
    };
  }
  return () => {
    armed.delete(registry);
    if (armed.size === 0) uninstall?.();
  };
}
