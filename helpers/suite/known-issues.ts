// Known breakages of a tutorial are data (specs/known-issues.yaml), not code:
// an entry turns an expected failure of a step "as written" into a reported
// finding, and a step that stops failing into an "unexpected pass" that fails
// the run until the entry is removed.
import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

export interface KnownIssue {
  id: string;
  /** Section id, as the specs name sections (`pod-disruption-budget`). */
  section: string;
  /** The step of the section that breaks (`apply-as-written`). */
  step: string;
  when: {
    /** Server versions it applies to: `>=1.25`, `<1.25`, `1.30` (a minor), or omitted for all. */
    serverVersion?: string;
    /** Source names it applies to (globs with `*`), or omitted for all. */
    sources?: string[];
  };
  /** What the failure says: the step's error must match, or it is a different, real failure. */
  failure: RegExp;
  cause: string;
  reference?: string;
}

export class KnownIssuesFileError extends Error {
  override name = 'KnownIssuesFileError';
}

export class UnexpectedPassError extends Error {
  override name = 'UnexpectedPassError';
  constructor(readonly issue: KnownIssue, file: string) {
    super(
      `known issue "${issue.id}" (${issue.section} / ${issue.step}) no longer fails: the tutorial or the cluster ` +
        `changed. Verify the section now passes as written, then remove the entry "${issue.id}" from ${file}.`,
    );
  }
}

const STRING_FIELDS = ['id', 'section', 'step', 'failure', 'cause'] as const;

/** Reads and validates the known-issues file; errors name the file, the entry and the fix. */
export function loadKnownIssues(file: string): KnownIssue[] {
  let doc: unknown;
  try {
    doc = load(readFileSync(file, 'utf8'), { filename: file });
  } catch (err) {
    throw new KnownIssuesFileError(`${file}: ${(err as Error).message}`);
  }
  if (doc === undefined || doc === null) return [];
  if (!Array.isArray(doc)) throw new KnownIssuesFileError(`${file}: expected a list of entries at the top level`);
  const seen = new Set<string>();
  return doc.map((raw: unknown, i): KnownIssue => {
    const where = `${file}: entry ${i + 1}`;
    if (typeof raw !== 'object' || raw === null) throw new KnownIssuesFileError(`${where}: not a mapping`);
    const e = raw as Record<string, unknown>;
    for (const f of STRING_FIELDS) {
      if (typeof e[f] !== 'string' || (e[f] as string).trim() === '') {
        throw new KnownIssuesFileError(`${where}${typeof e.id === 'string' ? ` (${e.id})` : ''}: "${f}" must be a non-empty string`);
      }
    }
    const id = e.id as string;
    if (seen.has(id)) throw new KnownIssuesFileError(`${where}: duplicate id "${id}"`);
    seen.add(id);
    const when = (e.when ?? {}) as Record<string, unknown>;
    if (typeof when !== 'object') throw new KnownIssuesFileError(`${where} (${id}): "when" must be a mapping`);
    if (when.serverVersion !== undefined) parseVersionRange(String(when.serverVersion), `${where} (${id})`);
    const sources = when.sources;
    if (sources !== undefined && !(Array.isArray(sources) && sources.every((s) => typeof s === 'string'))) {
      throw new KnownIssuesFileError(`${where} (${id}): "when.sources" must be a list of source-name globs`);
    }
    let failure: RegExp;
    try {
      failure = new RegExp(e.failure as string, 's');
    } catch (err) {
      throw new KnownIssuesFileError(`${where} (${id}): "failure" is not a valid regular expression: ${(err as Error).message}`);
    }
    return {
      id,
      section: e.section as string,
      step: e.step as string,
      when: {
        ...(when.serverVersion !== undefined ? { serverVersion: String(when.serverVersion) } : {}),
        ...(sources !== undefined ? { sources: sources as string[] } : {}),
      },
      failure,
      cause: e.cause as string,
      ...(typeof e.reference === 'string' ? { reference: e.reference } : {}),
    };
  });
}

type Op = '>=' | '<=' | '>' | '<' | '=';
interface VersionRange {
  op: Op;
  major: number;
  minor: number;
}

function parseVersionRange(text: string, where: string): VersionRange {
  const m = /^\s*(>=|<=|>|<|=)?\s*v?(\d+)\.(\d+)\s*$/.exec(text);
  if (m === null) {
    throw new KnownIssuesFileError(`${where}: serverVersion "${text}" is not of the form ">=1.25", "<1.25" or "1.30"`);
  }
  return { op: (m[1] as Op | undefined) ?? '=', major: Number(m[2]), minor: Number(m[3]) };
}

/** Major.minor of a server version such as `v1.36.3` or `v1.30.0-gke.1`. */
export function minorVersion(version: string): { major: number; minor: number } {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (m === null) throw new Error(`not a Kubernetes version: "${version}"`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

export function versionMatches(range: string, serverVersion: string): boolean {
  const r = parseVersionRange(range, 'serverVersion');
  const v = minorVersion(serverVersion);
  const cmp = v.major !== r.major ? v.major - r.major : v.minor - r.minor;
  switch (r.op) {
    case '>=':
      return cmp >= 0;
    case '<=':
      return cmp <= 0;
    case '>':
      return cmp > 0;
    case '<':
      return cmp < 0;
    case '=':
      return cmp === 0;
  }
}

function globMatches(glob: string, name: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

export interface StepIdentity {
  section: string;
  step: string;
  source: string;
  serverVersion: string;
}

/** The entries that apply to one step of one section, for this source and server. */
export function issuesFor(issues: readonly KnownIssue[], at: StepIdentity): KnownIssue[] {
  return issues.filter(
    (i) =>
      i.section === at.section &&
      i.step === at.step &&
      (i.when.serverVersion === undefined || versionMatches(i.when.serverVersion, at.serverVersion)) &&
      (i.when.sources === undefined || i.when.sources.some((g) => globMatches(g, at.source))),
  );
}

export type StepOutcome = { status: 'passed' } | { status: 'known-issue'; issue: KnownIssue; error: string };

/**
 * Runs one step of a section as the tutorial writes it. A failure that a known
 * issue predicts (and whose message matches it) becomes a finding; any other
 * failure is rethrown; a pass where an issue predicted a failure is an error.
 */
export async function runAsWritten(
  issues: readonly KnownIssue[],
  at: StepIdentity,
  file: string,
  step: () => Promise<unknown>,
): Promise<StepOutcome> {
  const expected = issuesFor(issues, at);
  try {
    await step();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    const issue = expected.find((i) => i.failure.test(message));
    if (issue !== undefined) return { status: 'known-issue', issue, error: message };
    throw err;
  }
  if (expected[0] !== undefined) throw new UnexpectedPassError(expected[0], file);
  return { status: 'passed' };
}
