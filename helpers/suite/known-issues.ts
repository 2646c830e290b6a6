// Known breakages of a tutorial are data (specs/known-issues.yaml), not code:
// an entry turns an expected failure of a step "as written" into a reported
// finding, and a step that stops failing into an "unexpected pass" that fails
// the run until the entry is removed.
//
// An entry is keyed on what actually breaks (the server's or kubectl's
// version, an image, the cluster's reach to the internet) and its `failure`
// names that breakage's own error text, so that another failure of the same
// step stays a real failure.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { load } from 'js-yaml';
import { checkSectionIds } from './sections.js';
import { PROJECT_ROOT } from './sources.js';

export const KNOWN_ISSUES_FILE = join(PROJECT_ROOT, 'specs', 'known-issues.yaml');

/** Provider names an entry may name under `when.provider`. */
export const PROVIDER_NAMES = ['local', 'kubeconfig', 'kind', 'minikube'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/**
 * When an entry applies: every condition given must hold (omitted: any). A
 * condition on something the step's identity does not carry (no
 * kubectlVersion, no images, no provider, internet unknown) does not hold:
 * the entry then does not apply, and a failure of the step is a real one.
 */
export interface KnownIssueWhen {
  /** API server versions: `>=1.25`, `<1.25`, `1.30` (a minor); also `>`, `<=`, `=`. */
  serverVersion?: string;
  /** kubectl client versions, same syntax (for changes of kubectl itself). */
  kubectlVersion?: string;
  /** Source names (globs with `*`): one must match. */
  sources?: string[];
  /**
   * Image references (globs with `*`) of the manifests the step runs: one must
   * match one of them. `docker.io/library/` is implied and a missing tag is
   * `:latest`, on both sides.
   */
  images?: string[];
  /** Providers (`local`, `kubeconfig`, `kind`, `minikube`): one must be the run's. */
  provider?: ProviderName[];
  /** Whether the cluster's pods can reach the internet; unknown never matches. */
  internet?: boolean;
  /** The cluster's nodes that take pods (`">=2"`, `"1"`): outputs that show one node's cluster. Unknown never matches. */
  nodes?: string;
}

const WHEN_KEYS = ['serverVersion', 'kubectlVersion', 'sources', 'images', 'provider', 'internet', 'nodes'] as const satisfies readonly (keyof KnownIssueWhen)[];
const ENTRY_KEYS = ['id', 'section', 'step', 'when', 'failure', 'cause', 'reference', 'then'] as const;

export interface KnownIssue {
  id: string;
  /** Section id, as the specs name sections (`pod-disruption-budget`). */
  section: string;
  /** The step of the section that breaks (`apply-as-written`); with several, as listed. */
  step: string;
  /** Every step it applies to (in the file, `step` is one or a list). */
  steps: string[];
  when: KnownIssueWhen;
  /**
   * What the failure says: the step's error must match, or it is a different,
   * real failure. In the file, a regular expression or a list of them (any).
   */
  failure: RegExp;
  cause: string;
  reference?: string;
  /**
   * For a command the reader types (steps `command-as-written <file:line>`):
   * the lines a reader who met this issue types next to go on (the fix the
   * cause describes), in the reader's shell, before the following command.
   */
  then?: string[];
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

const STRING_FIELDS = ['id', 'section', 'cause'] as const;

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

/** A non-empty list of non-empty strings without blanks (globs, names). */
function isWordList(x: unknown): x is string[] {
  return Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string' && /^\S+$/.test(s));
}

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
    const at = `${file}: entry ${i + 1}`;
    if (!isRecord(raw)) throw new KnownIssuesFileError(`${at}: not a mapping`);
    const e = raw;
    const where = typeof e.id === 'string' ? `${at} (${e.id})` : at;
    const unknownKeys = Object.keys(e).filter((k) => !(ENTRY_KEYS as readonly string[]).includes(k));
    if (unknownKeys.length > 0) {
      throw new KnownIssuesFileError(
        `${where}: unknown field(s) ${unknownKeys.map((k) => `"${k}"`).join(', ')}; an entry has: ${ENTRY_KEYS.join(', ')}`,
      );
    }
    const [id, section, cause] = STRING_FIELDS.map((f) => {
      const v = e[f];
      if (typeof v !== 'string' || v.trim() === '') throw new KnownIssuesFileError(`${where}: "${f}" must be a non-empty string`);
      return v;
    }) as [string, string, string];
    const rawStep = e.step;
    const steps = typeof rawStep === 'string' ? [rawStep] : Array.isArray(rawStep) ? rawStep : [];
    if (steps.length === 0 || !steps.every((x): x is string => typeof x === 'string' && x.trim() !== '')) {
      throw new KnownIssuesFileError(`${where}: "step" must be a non-empty string or a non-empty list of them`);
    }
    const step = steps.join(', ');
    if (seen.has(id)) throw new KnownIssuesFileError(`${at}: duplicate id "${id}"; give each entry its own id`);
    seen.add(id);
    const reference = e.reference;
    if (reference !== undefined && (typeof reference !== 'string' || reference.trim() === '')) {
      throw new KnownIssuesFileError(`${where}: "reference" must be a non-empty string (a URL) or omitted`);
    }
    const when = parseWhen(e.when, where);
    const failure = parseFailure(e.failure, where);
    checkSectionIds([section], where);
    const then = e.then;
    if (then !== undefined && !(Array.isArray(then) && then.length > 0 && then.every((l) => typeof l === 'string' && l.trim() !== ''))) {
      throw new KnownIssuesFileError(`${where}: "then" must be a non-empty list of command lines the reader types next, or omitted`);
    }
    return { id, section, step, steps, when, failure, cause, ...(reference !== undefined ? { reference } : {}), ...(then !== undefined ? { then: then as string[] } : {}) };
  });
}

/**
 * `failure`: a regular expression, or a list of them (one per wording of the
 * same error, e.g. the suite's and kubectl's); the error must match one.
 * Matched with the `s` flag: `.` crosses lines (use `[^\n]*` to stay on one).
 */
function parseFailure(raw: unknown, where: string): RegExp {
  const list: unknown[] = Array.isArray(raw) ? raw : [raw];
  if (list.length === 0 || !list.every((f): f is string => typeof f === 'string' && f.trim() !== '')) {
    throw new KnownIssuesFileError(`${where}: "failure" must be a non-empty string (a regular expression) or a non-empty list of them`);
  }
  const compiled = list.map((f, i) => {
    try {
      return new RegExp(f, 's');
    } catch (err) {
      const which = list.length > 1 ? ` (alternative ${i + 1})` : '';
      throw new KnownIssuesFileError(`${where}: "failure"${which} is not a valid regular expression: ${(err as Error).message}`);
    }
  });
  const [only] = compiled;
  return compiled.length === 1 && only !== undefined ? only : new RegExp(compiled.map((r) => `(?:${r.source})`).join('|'), 's');
}

function parseWhen(raw: unknown, where: string): KnownIssueWhen {
  if (raw === undefined || raw === null) return {};
  if (!isRecord(raw)) {
    throw new KnownIssuesFileError(`${where}: "when" must be a mapping such as { serverVersion: ">=1.25" } (or omitted: always)`);
  }
  const unknownKeys = Object.keys(raw).filter((k) => !(WHEN_KEYS as readonly string[]).includes(k));
  if (unknownKeys.length > 0) {
    throw new KnownIssuesFileError(
      `${where}: unknown condition(s) ${unknownKeys.map((k) => `"when.${k}"`).join(', ')}; ` +
        `the conditions are: ${WHEN_KEYS.join(', ')} (a misspelt one would make the entry apply more widely)`,
    );
  }
  const when: KnownIssueWhen = {};
  for (const key of ['serverVersion', 'kubectlVersion'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    if (typeof v !== 'string') {
      throw new KnownIssuesFileError(
        `${where}: "when.${key}" must be a quoted string such as ">=1.25" or "1.30"` +
          (typeof v === 'number' ? ` (YAML reads the bare ${String(v)} as a number, and 1.30 as 1.3)` : ''),
      );
    }
    parseVersionRange(v, `${where}: when.${key}`);
    when[key] = v;
  }
  for (const key of ['sources', 'images'] as const) {
    const v = raw[key];
    if (v === undefined) continue;
    const what = key === 'sources' ? 'source-name globs such as ["blog-walkthrough*"]' : 'image globs such as ["debian:stretch", "my-server:*"]';
    if (!isWordList(v)) {
      throw new KnownIssuesFileError(`${where}: "when.${key}" must be a non-empty list of ${what} (omit it to apply to all)`);
    }
    when[key] = v;
  }
  const provider = raw.provider;
  if (provider !== undefined) {
    if (!isWordList(provider)) {
      throw new KnownIssuesFileError(
        `${where}: "when.provider" must be a non-empty list of provider names such as ["local"]; the names are: ${PROVIDER_NAMES.join(', ')}`,
      );
    }
    const unknown = provider.filter((p) => !(PROVIDER_NAMES as readonly string[]).includes(p));
    if (unknown.length > 0) {
      throw new KnownIssuesFileError(
        `${where}: "when.provider" names unknown provider(s) ${unknown.map((p) => `"${p}"`).join(', ')}; the names are: ${PROVIDER_NAMES.join(', ')}`,
      );
    }
    when.provider = provider as ProviderName[];
  }
  const internet = raw.internet;
  if (internet !== undefined) {
    if (typeof internet !== 'boolean') {
      throw new KnownIssuesFileError(`${where}: "when.internet" must be true or false (unquoted), not ${JSON.stringify(internet)}`);
    }
    when.internet = internet;
  }
  const nodes = raw.nodes;
  if (nodes !== undefined) {
    if (typeof nodes !== 'string' || !NODES_RANGE.test(nodes)) {
      throw new KnownIssuesFileError(`${where}: "when.nodes" must be a quoted count such as ">=2", "<3" or "1" (the cluster's nodes that take pods), not ${JSON.stringify(nodes)}`);
    }
    when.nodes = nodes;
  }
  return when;
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
    throw new KnownIssuesFileError(`${where} "${text}" is not of the form ">=1.25", "<1.25" or "1.30" (a major.minor, with an optional >=, <=, >, < or =)`);
  }
  return { op: (m[1] as Op | undefined) ?? '=', major: Number(m[2]), minor: Number(m[3]) };
}

/** Major.minor of a version such as `v1.36.3` or `v1.30.0-gke.1`. */
export function minorVersion(version: string): { major: number; minor: number } {
  const m = /^v?(\d+)\.(\d+)/.exec(version);
  if (m === null) throw new Error(`not a Kubernetes version: "${version}"`);
  return { major: Number(m[1]), minor: Number(m[2]) };
}

/** Does a version (`v1.36.3`) fall in a range (`>=1.25`)? For server and kubectl versions alike. */
export function versionMatches(range: string, version: string): boolean {
  const r = parseVersionRange(range, 'version range');
  const v = minorVersion(version);
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

export function globMatches(glob: string, name: string): boolean {
  const re = new RegExp(`^${glob.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(name);
}

/**
 * An image reference in its short Docker Hub form: `docker.io/library/debian:stretch`,
 * `library/debian:stretch` and `debian:stretch` are one image, and `debian` is `debian:latest`.
 */
export function normalizeImage(ref: string): string {
  let r = ref.trim().replace(/^(?:index\.)?docker\.io\//, '');
  r = r.replace(/^library\/(?=[^/]+$)/, '');
  const lastPart = r.slice(r.lastIndexOf('/') + 1);
  if (!lastPart.includes(':') && !lastPart.includes('@') && !lastPart.includes('*')) r = `${r}:latest`;
  return r;
}

/** Does one of the globs match one of the step's images (both normalised)? */
export function imagesMatch(globs: readonly string[], images: readonly string[]): boolean {
  return globs.some((g) => images.some((image) => globMatches(normalizeImage(g), normalizeImage(image))));
}

/** What identifies one step run as written: where it runs and on what. */
export interface StepIdentity {
  section: string;
  step: string;
  /** The tutorial source's name (`cybozu-introduction-to-kubernetes@b3e9c28`). */
  source: string;
  /** The API server's gitVersion (`v1.36.3`). */
  serverVersion: string;
  /** The kubectl client's gitVersion (`v1.36.3`), where the step runs kubectl; without it, `when.kubectlVersion` entries do not apply. */
  kubectlVersion?: string;
  /** The provider's name (`local`, `kubeconfig`); without it, `when.provider` entries do not apply. */
  provider?: string;
  /** Images of the manifests the step applies or runs in, as written; without them, `when.images` entries do not apply. */
  images?: readonly string[];
  /** Whether the cluster's pods reach the internet; undefined (unknown): `when.internet` entries do not apply. */
  internet?: boolean;
  /** The cluster's nodes that take pods; undefined (unknown): `when.nodes` entries do not apply. */
  nodes?: number;
}

const NODES_RANGE = /^(>=|<=|>|<)?(\d+)$/;

/** Does a node count satisfy `">=2"`, `"<3"`, `"1"`? Pure. */
export function nodesMatch(range: string, count: number): boolean {
  const m = NODES_RANGE.exec(range);
  if (m === null) return false;
  const n = Number(m[2]);
  switch (m[1]) {
    case '>=':
      return count >= n;
    case '<=':
      return count <= n;
    case '>':
      return count > n;
    case '<':
      return count < n;
    default:
      return count === n;
  }
}

/** Does every condition of `when` hold for this step? A condition on a field the step lacks does not. */
export function whenHolds(when: KnownIssueWhen, at: StepIdentity): boolean {
  const { serverVersion, kubectlVersion, sources, images, provider, internet, nodes } = when;
  if (serverVersion !== undefined && !versionMatches(serverVersion, at.serverVersion)) return false;
  if (kubectlVersion !== undefined && (at.kubectlVersion === undefined || !versionMatches(kubectlVersion, at.kubectlVersion))) return false;
  if (sources !== undefined && !sources.some((g) => globMatches(g, at.source))) return false;
  if (images !== undefined && (at.images === undefined || !imagesMatch(images, at.images))) return false;
  if (provider !== undefined && (at.provider === undefined || !(provider as readonly string[]).includes(at.provider))) return false;
  if (internet !== undefined && at.internet !== internet) return false;
  if (nodes !== undefined && (at.nodes === undefined || !nodesMatch(nodes, at.nodes))) return false;
  return true;
}

/** The entries that apply to one step of one section, for this source, cluster and kubectl. */
export function issuesFor(issues: readonly KnownIssue[], at: StepIdentity): KnownIssue[] {
  return issues.filter((i) => i.section === at.section && i.steps.includes(at.step) && whenHolds(i.when, at));
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
