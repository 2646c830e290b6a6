// The short text appended to a failing test's message: what the namespace
// looked like when the test failed. Pure, so it is unit-tested; the long form
// goes to files (see diagnostics.ts).
import type { CoreV1Event } from '@kubernetes/client-node';
import { formatPodState, isPodReady, type Pod } from './state.js';
import type { Wire } from './wire.js';

export type Event = Wire<CoreV1Event>;

export function eventTimestamp(e: Event): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp ?? '';
}

/** Events oldest first (ties by name, so the order is stable). */
export function sortEvents(events: readonly Event[]): Event[] {
  return [...events].sort(
    (a, b) => eventTimestamp(a).localeCompare(eventTimestamp(b)) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
}

/** `12:00:03 Warning Failed pod/nginx: Failed to pull image "x" (x3)` */
export function formatEvent(e: Event): string {
  const t = eventTimestamp(e);
  const time = t.length >= 19 ? t.slice(11, 19) : t || '--:--:--';
  const obj = `${(e.involvedObject.kind ?? '?').toLowerCase()}/${e.involvedObject.name ?? '?'}`;
  const n = e.count ?? e.series?.count ?? 1;
  const count = n > 1 ? ` (x${n})` : '';
  const msg = (e.message ?? '').replace(/\s+/g, ' ').trim();
  return `${time} ${e.type ?? '?'} ${e.reason ?? '?'} ${obj}: ${msg}${count}`;
}

export interface SummaryInput {
  namespace: string;
  /** Where the full diagnostics were written. */
  dir?: string;
  pods: readonly Pod[];
  events: readonly Event[];
  /** Things that could not be collected ("could not list events: ..."). */
  problems?: readonly string[];
}

export interface SummaryLimits {
  maxPods?: number;
  maxEvents?: number;
}

/**
 * A few lines: where the artifacts are, every pod's state (not-ready first),
 * and the most recent warning events (or the most recent events if none warn).
 */
export function formatDiagnosticsSummary(input: SummaryInput, limits: SummaryLimits = {}): string {
  const maxPods = limits.maxPods ?? 8;
  const maxEvents = limits.maxEvents ?? 8;
  const lines = [`Diagnostics of namespace ${input.namespace}${input.dir ? ` (full: ${input.dir})` : ''}:`];
  if (input.pods.length === 0) {
    lines.push('  pods: none');
  } else {
    const pods = [...input.pods].sort((a, b) => Number(isPodReady(a)) - Number(isPodReady(b)));
    lines.push(`  pods (${input.pods.length}):`);
    for (const p of pods.slice(0, maxPods)) lines.push(`    ${formatPodState(p)}`);
    if (pods.length > maxPods) lines.push(`    ... and ${pods.length - maxPods} more`);
  }
  const sorted = sortEvents(input.events);
  const warnings = sorted.filter((e) => e.type === 'Warning');
  const shown = (warnings.length > 0 ? warnings : sorted).slice(-maxEvents);
  if (shown.length === 0) {
    lines.push('  events: none');
  } else {
    lines.push(`  ${warnings.length > 0 ? 'warning events' : 'events'} (last ${shown.length} of ${warnings.length > 0 ? warnings.length : sorted.length}):`);
    for (const e of shown) lines.push(`    ${formatEvent(e)}`);
  }
  for (const p of input.problems ?? []) lines.push(`  ! ${p}`);
  return lines.join('\n');
}
