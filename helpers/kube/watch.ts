// List-then-watch, the way client-go's reflector does it, and the generic
// `waitFor` every other wait is built on.
//
// Why watches and not polling: a poll can miss a short-lived state (a pod
// that was Ready for one second, a replica count that dipped) and costs a
// request per tick; a watch sees every change. The list first gives the
// current state (a condition that already holds resolves at once) and the
// resourceVersion to watch from; when the server expires that version (410
// Gone) or the connection ends, we list again and diff, so no change is lost.
//
// Every wait has a deadline. On expiry the error says what was awaited and the
// last state seen, formatted by the caller, as the Kubernetes e2e framework's
// WaitForPodCondition does.
import pRetry, { AbortError } from 'p-retry';
import type { Kube } from './client.js';
import { KubeHttpError, statusOf } from './http.js';
import { formatDuration } from './ownership.js';
import type { KubeList, KubeObject } from './wire.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchEvent<T> {
  type: WatchEventType;
  object: T;
  /** When this process received it. */
  at: Date;
  /** True when made up by diffing a re-list against the cache (changes the watch did not deliver). */
  relisted?: boolean;
}

export interface WatchQuery {
  labelSelector?: string;
  fieldSelector?: string;
}

function cacheKey(o: KubeObject): string {
  return o.metadata?.uid ?? `${o.metadata?.namespace ?? ''}/${o.metadata?.name ?? ''}`;
}

/** A watch answered with a status that retrying will not fix (403, 404, ...). */
export class WatchFailedError extends Error {
  override name = 'WatchFailedError';
}

/**
 * Keeps a local copy of a collection in sync with the server: list, watch from
 * the list's resourceVersion, re-list on expiry or disconnect. Reports every
 * change (including ones found by diffing a re-list) to `onEvent`.
 */
export class ListWatch<T extends KubeObject> {
  private readonly cache = new Map<string, T>();
  private resourceVersion: string | undefined;
  private controller: AbortController | undefined;
  private stopped = false;
  private failures = 0;
  private readonly stopSignal = new AbortController();
  /** The last list/watch problem, for error messages ("connection refused", "410 Gone", ...). */
  lastProblem: string | undefined;
  /** When the first list succeeded. */
  syncedAt: Date | undefined;

  constructor(
    private readonly kube: Kube,
    readonly path: string,
    readonly query: WatchQuery,
    private readonly handlers: {
      onEvent?: (ev: WatchEvent<T>) => void;
      /** After every (re)list, with the full current set. */
      onSync?: (objects: T[]) => void;
      /** An error retrying will not fix: the ListWatch has stopped. */
      onFatal?: (err: Error) => void;
    },
  ) {}

  objects(): T[] {
    return [...this.cache.values()];
  }

  /** Resolves once the first list has been loaded (and the watch started). */
  async start(): Promise<void> {
    await this.relist(false);
  }

  stop(): void {
    this.stopped = true;
    this.stopSignal.abort();
    this.controller?.abort();
  }

  private async relist(emitDiff = true): Promise<void> {
    const list = await pRetry(
      async () => {
        if (this.stopped) throw new AbortError('stopped');
        try {
          return await this.kube.json<KubeList<T>>({
            path: this.path,
            query: { ...this.query },
            timeoutMs: 15_000,
            signal: this.stopSignal.signal,
          });
        } catch (err) {
          this.lastProblem = `list ${this.path}: ${(err as Error).message}`;
          const s = statusOf(err);
          // The resource does not exist or we may not list it: retrying will not help.
          if (s === 403 || s === 404 || s === 400) throw new AbortError(err as Error);
          throw err;
        }
      },
      { retries: 1000, minTimeout: 200, maxTimeout: 2000, signal: this.stopSignal.signal },
    );
    if (this.stopped) return;
    const before = new Map(this.cache);
    this.cache.clear();
    for (const item of list.items) {
      // Items of a list carry no apiVersion/kind; keep them comparable with watch objects.
      this.cache.set(cacheKey(item), item);
    }
    this.resourceVersion = list.metadata?.resourceVersion;
    this.syncedAt ??= new Date();
    if (emitDiff) {
      const at = new Date();
      for (const [k, o] of this.cache) {
        const old = before.get(k);
        if (!old) this.emit({ type: 'ADDED', object: o, at, relisted: true });
        else if (old.metadata?.resourceVersion !== o.metadata?.resourceVersion)
          this.emit({ type: 'MODIFIED', object: o, at, relisted: true });
      }
      for (const [k, o] of before) {
        if (!this.cache.has(k)) this.emit({ type: 'DELETED', object: o, at, relisted: true });
      }
    }
    this.handlers.onSync?.(this.objects());
    // The handlers may have called stop() (a wait that got its answer does).
    if (!this.isStopped()) await this.startWatch();
  }

  /** Read through a call: TypeScript keeps `this.stopped` narrowed across the handler calls above, which may change it. */
  private isStopped(): boolean {
    return this.stopped;
  }

  private emit(ev: WatchEvent<T>): void {
    this.handlers.onEvent?.(ev);
  }

  private async startWatch(): Promise<void> {
    let gone = false;
    let statusError: { code?: number; message?: string } | undefined;
    const controller = await this.kube.watch.watch(
      this.path,
      {
        ...this.query,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
        // The server ends a watch after this; we then resume from the last resourceVersion.
        timeoutSeconds: 240,
      },
      (type: string, obj: unknown) => {
        if (this.stopped) return;
        if (type === 'ERROR') {
          const st = obj as { code?: number; message?: string };
          if (st.code === 410) gone = true;
          else statusError = st;
          this.lastProblem = `watch ${this.path}: ${st.code ?? ''} ${st.message ?? ''}`.trim();
          return;
        }
        const o = obj as T;
        const rv = o.metadata?.resourceVersion;
        if (rv) this.resourceVersion = rv;
        if (type === 'BOOKMARK') return;
        this.failures = 0;
        const key = cacheKey(o);
        const at = new Date();
        if (type === 'DELETED') {
          this.cache.delete(key);
          this.emit({ type: 'DELETED', object: o, at });
        } else if (type === 'ADDED' || type === 'MODIFIED') {
          const known = this.cache.has(key);
          this.cache.set(key, o);
          this.emit({ type: known ? 'MODIFIED' : 'ADDED', object: o, at });
        }
      },
      (err: unknown) => {
        if (this.stopped) return;
        void this.afterWatchEnded(err, gone, statusError);
      },
    );
    if (this.stopped) controller.abort();
    this.controller = controller;
  }

  private async afterWatchEnded(
    err: unknown,
    gone: boolean,
    statusError: { code?: number; message?: string } | undefined,
  ): Promise<void> {
    try {
      const code = statusOf(err) ?? statusError?.code;
      if (code === 403 || code === 404 || code === 400) {
        throw new WatchFailedError(
          `watch ${this.path} failed: HTTP ${code}${statusError?.message ? ` ${statusError.message}` : ''}`,
        );
      }
      if (code === 410) {
        await this.relist(); // the watch was refused as too old: list again and diff
      } else if (err || statusError) {
        this.lastProblem = `watch ${this.path}: ${err ? (err as Error).message : (statusError?.message ?? '')}`;
        // A failed watch is retried after a short, growing backoff (never a busy loop).
        this.failures++;
        await this.backoff(Math.min(2000, 100 * 2 ** this.failures));
        await this.relist();
      } else if (gone) {
        await this.relist(); // 410: our resourceVersion is too old; list again and diff
      } else {
        await this.startWatch(); // normal end (timeoutSeconds): resume from where we are
      }
    } catch (e) {
      if (this.stopped) return;
      this.stop();
      this.handlers.onFatal?.(e as Error);
    }
  }

  private backoff(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.stopSignal.signal.addEventListener('abort', () => {
        clearTimeout(t);
        resolve();
      });
    });
  }
}

/** Thrown when a wait's deadline passes: what was awaited, for how long, and what was seen last. */
export class WaitTimeoutError extends Error {
  override name = 'WaitTimeoutError';
  constructor(
    readonly awaited: string,
    readonly timeoutMs: number,
    readonly lastSeen: string,
    readonly lastSeenAt: Date | undefined,
    readonly problem: string | undefined,
  ) {
    super(formatTimeout(awaited, timeoutMs, lastSeen, lastSeenAt, problem));
  }
}

export function formatTimeout(
  awaited: string,
  timeoutMs: number,
  lastSeen: string,
  lastSeenAt: Date | undefined,
  problem: string | undefined,
): string {
  const when = lastSeenAt ? ` (at ${lastSeenAt.toISOString().slice(11, 23)})` : '';
  const lines = [`timed out after ${formatDuration(timeoutMs)} waiting for ${awaited}`, `  last seen${when}: ${lastSeen}`];
  if (problem) lines.push(`  last API problem: ${problem}`);
  return lines.join('\n');
}

export const DEFAULT_WAIT_MS = 90_000;

export interface WaitOptions {
  /** Deadline; default DEFAULT_WAIT_MS (kept below the e2e test timeout so this message, not jest's, is shown). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface WaitForOptions<T> extends WaitOptions, WatchQuery {
  /** What is awaited, completing "timed out waiting for ...": e.g. `pod ns/web to be Ready`. */
  describe: string;
  /** The current state in one line, for the timeout message. Default: the objects' names. */
  lastSeen?: (objects: T[]) => string;
}

/** What a check returns to keep waiting. Anything else resolves the wait with that value. */
export type NotYet = undefined | null | false;

/**
 * Waits until `check(objects)` returns something other than undefined/null/false,
 * re-evaluating on every change of the watched collection, and resolves with it.
 * `check` may throw to fail the wait at once (e.g. a pod that can never become
 * Ready because it has terminated).
 */
export function waitFor<T extends KubeObject, R>(
  kube: Kube,
  watchPath: string,
  check: (objects: T[], event?: WatchEvent<T>) => R | NotYet,
  opts: WaitForOptions<T>,
): Promise<Exclude<R, NotYet>> {
  const timeoutMs = opts.timeoutMs ?? DEFAULT_WAIT_MS;
  const describeState =
    opts.lastSeen ??
    ((objs: T[]) => (objs.length === 0 ? 'nothing matched' : objs.map((o) => o.metadata?.name).join(', ')));
  // Where the spec called us from: a timeout fires from a timer, whose stack would point here instead.
  const callSite = new Error();
  let lastSeen = 'nothing yet (the first list has not answered)';
  let lastSeenAt: Date | undefined;
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (err: Error | undefined, value?: Exclude<R, NotYet>): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      lw.stop();
      if (err) reject(err);
      else resolve(value as Exclude<R, NotYet>);
    };
    const evaluate = (objects: T[], ev?: WatchEvent<T>): void => {
      if (done) return;
      try {
        lastSeen = describeState(objects);
        lastSeenAt = new Date();
        const r = check(objects, ev);
        if (r !== undefined && r !== null && r !== false) finish(undefined, r as Exclude<R, NotYet>);
      } catch (err) {
        finish(err as Error);
      }
    };
    const lw: ListWatch<T> = new ListWatch<T>(
      kube,
      watchPath,
      { labelSelector: opts.labelSelector, fieldSelector: opts.fieldSelector },
      {
        onSync: (objects) => evaluate(objects),
        onEvent: (ev) => evaluate(lw.objects(), ev),
        onFatal: (err) => finish(err),
      },
    );
    const timer = setTimeout(
      () => finish(withCallSite(new WaitTimeoutError(opts.describe, timeoutMs, lastSeen, lastSeenAt, lw.lastProblem), callSite)),
      timeoutMs,
    );
    const onAbort = (): void => finish(new Error(`stopped waiting for ${opts.describe}: aborted`));
    if (opts.signal?.aborted) {
      onAbort();
      return;
    }
    opts.signal?.addEventListener('abort', onAbort);
    lw.start().catch((err: unknown) => {
      if (!done) {
        const e = err instanceof KubeHttpError || err instanceof Error ? err : new Error(String(err));
        finish(new Error(`cannot wait for ${opts.describe}: ${e.message}`, { cause: e }));
      }
    });
  });
}

/**
 * Gives `err` the stack frames of `callSite` outside the helpers, so jest shows
 * the spec line that started the wait rather than a timer callback.
 */
export function withCallSite<E extends Error>(err: E, callSite: Error): E {
  const frames = (callSite.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l));
  const outside = frames.filter((l) => !/[\\/]helpers[\\/]kube[\\/]/.test(l));
  err.stack = [`${err.name}: ${err.message}`, ...(outside.length > 0 ? outside : frames)].join('\n');
  return err;
}

/** fieldSelector for one object by name. */
export function byName(name: string): string {
  return `metadata.name=${name}`;
}
