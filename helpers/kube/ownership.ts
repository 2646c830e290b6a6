// How the suite marks what it creates, so that anything a crashed or killed
// run left behind can be found and removed by the next one, without touching
// what a concurrent run (on this host or another) is still using.
import crypto from 'node:crypto';
import os from 'node:os';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'tutorial-e2e';
export const SPEC_LABEL = 'tutorial-e2e/spec';
export const RUN_ID_ANNOTATION = 'tutorial-e2e/run-id';
export const HOST_ANNOTATION = 'tutorial-e2e/host';
export const PID_ANNOTATION = 'tutorial-e2e/pid';
export const MANAGED_SELECTOR = `${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`;

/** Test namespaces are `tte-<spec>-<random>`. */
export const NAMESPACE_PREFIX = 'tte-';

export interface RunIdentity {
  /** One id per `jest` run, shared by its workers (set by the e2e global setup). */
  runId: string;
  host: string;
  /** The process whose life bounds the run's objects: the jest main process when known. */
  pid: number;
}

let fallbackRunId: string | undefined;

/** This run's identity, from the environment the global setup prepared (or made up for this process). */
export function runIdentity(env: NodeJS.ProcessEnv = process.env): RunIdentity {
  fallbackRunId ??= newRunId();
  const pid = Number(env.TUTORIAL_E2E_RUN_PID);
  return {
    runId: env.TUTORIAL_E2E_RUN_ID || fallbackRunId,
    host: os.hostname(),
    pid: Number.isInteger(pid) && pid > 0 ? pid : process.pid,
  };
}

export function newRunId(now: Date = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace(/\..*$/, '').replace('T', '-');
  return `${stamp}-${crypto.randomBytes(3).toString('hex')}`;
}

/** Lowercase DNS-label form of a spec name: `Pod Disruption/Budget` -> `pod-disruption-budget`. */
export function dnsLabelPart(text: string, maxLength: number): string {
  const s = text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, maxLength)
    .replace(/-+$/g, '');
  return s || 'spec';
}

/** A label value for the spec name (63 chars, alphanumerics at both ends). */
export function specLabelValue(spec: string): string {
  const s = spec
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .slice(0, 63)
    .replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, '');
  return s || 'spec';
}

/**
 * `tte-<spec>-<6 random chars>`, at most 63 characters (a DNS label). The
 * random part keeps concurrent runs of the same spec apart.
 */
export function testNamespaceName(spec: string, random: string = crypto.randomBytes(4).toString('hex').slice(0, 6)): string {
  const room = 63 - NAMESPACE_PREFIX.length - 1 - random.length;
  return `${NAMESPACE_PREFIX}${dnsLabelPart(spec, room)}-${random}`;
}

/** Labels and annotations stamped on every namespace (and cluster-scoped object) a spec creates. */
export function ownershipMetadata(
  spec: string,
  id: RunIdentity = runIdentity(),
): { labels: Record<string, string>; annotations: Record<string, string> } {
  return {
    labels: { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [SPEC_LABEL]: specLabelValue(spec) },
    annotations: { [RUN_ID_ANNOTATION]: id.runId, [HOST_ANNOTATION]: id.host, [PID_ANNOTATION]: String(id.pid) },
  };
}

/** Whether a process exists on this host (signal 0 checks without signalling). */
export function isPidAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The metadata the leftover decision needs, from a namespace or any other object. */
export interface OwnedObjectMeta {
  name: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  /** RFC 3339. */
  creationTimestamp?: string;
  /** Set while the object is being deleted. */
  deletionTimestamp?: string;
}

export interface LeftoverPolicy {
  host: string;
  /** The current run's id: its objects are never leftovers. */
  currentRunId: string;
  isAlive: (pid: number) => boolean;
  now: Date;
  /** Objects older than this are leftovers whoever owns them (a run never lasts this long). */
  maxAgeMs: number;
}

export interface Leftover {
  name: string;
  reason: string;
}

/** Which of these objects a run left behind, and why. Objects not managed by the suite are never chosen. */
export function selectLeftovers(items: readonly OwnedObjectMeta[], policy: LeftoverPolicy): Leftover[] {
  const out: Leftover[] = [];
  for (const it of items) {
    if (it.labels?.[MANAGED_BY_LABEL] !== MANAGED_BY_VALUE) continue;
    if (it.deletionTimestamp) continue; // already going away
    const a = it.annotations ?? {};
    if (a[RUN_ID_ANNOTATION] === policy.currentRunId) continue;
    const created = it.creationTimestamp ? Date.parse(it.creationTimestamp) : NaN;
    const ageMs = Number.isNaN(created) ? Infinity : policy.now.getTime() - created;
    if (ageMs > policy.maxAgeMs) {
      out.push({
        name: it.name,
        reason: Number.isFinite(ageMs)
          ? `older than ${formatDuration(policy.maxAgeMs)} (created ${it.creationTimestamp ?? '?'})`
          : 'no creation time',
      });
      continue;
    }
    if (a[HOST_ANNOTATION] === policy.host) {
      const pid = Number(a[PID_ANNOTATION]);
      if (!policy.isAlive(pid)) {
        out.push({ name: it.name, reason: `its run (pid ${a[PID_ANNOTATION] ?? '?'} on this host) is gone` });
      }
    }
  }
  return out;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  const s = ms / 1000;
  if (s < 60) return `${s % 1 === 0 ? s : s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${Math.round(s % 60) ? `${Math.round(s % 60)}s` : ''}`;
  const h = Math.floor(m / 60);
  return `${h}h${m % 60 ? `${m % 60}m` : ''}`;
}
