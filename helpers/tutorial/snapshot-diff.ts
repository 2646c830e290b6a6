// Comparing the committed snapshot with a fresh extraction, and saying what
// changed in the words a reviewer needs: which manifests and edits appeared,
// disappeared, changed content, or only moved to another line of the text;
// then the unified diff of every file that differs.
import yaml from 'js-yaml';
import { unifiedDiff } from './line-diff.js';
import { INDEX_FILE } from './snapshot.js';

export interface FileChange {
  path: string;
  status: 'added' | 'removed' | 'changed';
  /** Unified diff from the committed file to the extracted one. */
  diff: string;
}

export interface SnapshotComparison {
  equal: boolean;
  /** Manifest files in the fresh extraction. */
  extractedManifests: number;
  manifests: {
    added: string[];
    removed: string[];
    /** YAML, title, file name or objects differ. */
    changed: string[];
    /** Same content, now at another line (`key: old -> new`). */
    moved: string[];
  };
  edits: { added: string[]; removed: string[]; moved: string[] };
  files: FileChange[];
}

interface IndexEntry {
  source: string;
  /** Everything but the source line, for comparing content. */
  identity: string;
}

interface IndexSummary {
  manifests: Map<string, IndexEntry>;
  edits: IndexEntry[];
}

function entry(value: unknown): IndexEntry {
  const { source, ...rest } = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  const identity = Object.entries(rest)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join(',') : String(v)}`)
    .join(' ');
  return { source: String(source), identity };
}

/** Reads the parts of index.yaml the summary needs; undefined when absent or unreadable. */
function summariseIndex(text: string | undefined): IndexSummary | undefined {
  if (text === undefined) return undefined;
  let data: unknown;
  try {
    data = yaml.load(text);
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null) return undefined;
  const { manifests, edits } = data as { manifests?: unknown; edits?: unknown };
  const manifestEntries = (Array.isArray(manifests) ? manifests : []).filter(
    (m): m is { key: string } => typeof m === 'object' && m !== null && typeof (m as { key?: unknown }).key === 'string',
  );
  return {
    manifests: new Map(manifestEntries.map((m) => [m.key, entry(m)])),
    edits: (Array.isArray(edits) ? edits : []).map(entry),
  };
}

/** A manifest file without its generated `#` header (which names the source line). */
function body(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const lines = text.split('\n');
  const start = lines.findIndex((line) => !line.startsWith('#'));
  return lines.slice(start < 0 ? lines.length : start).join('\n');
}

function compareEdits(before: IndexEntry[], after: IndexEntry[]): SnapshotComparison['edits'] {
  const remaining = [...before];
  const added: string[] = [];
  const moved: string[] = [];
  for (const edit of after) {
    const same = remaining.findIndex((e) => e.identity === edit.identity && e.source === edit.source);
    const shifted = same >= 0 ? same : remaining.findIndex((e) => e.identity === edit.identity);
    if (shifted < 0) {
      added.push(`${edit.source} ${edit.identity}`);
      continue;
    }
    const [match] = remaining.splice(shifted, 1);
    if (match !== undefined && match.source !== edit.source) moved.push(`${edit.identity}: ${match.source} -> ${edit.source}`);
  }
  return { added, removed: remaining.map((e) => `${e.source} ${e.identity}`), moved };
}

/**
 * `committed` is what manifests/<source>/ holds, `extracted` what the tutorial text
 * gives now; both map relative paths to contents.
 */
export function compareSnapshots(
  committed: ReadonlyMap<string, string>,
  extracted: ReadonlyMap<string, string>,
): SnapshotComparison {
  const paths = [...new Set([...committed.keys(), ...extracted.keys()])].sort();
  const files: FileChange[] = [];
  for (const path of paths) {
    const before = committed.get(path);
    const after = extracted.get(path);
    if (before === after) continue;
    const status = before === undefined ? 'added' : after === undefined ? 'removed' : 'changed';
    const diff = unifiedDiff(before ?? '', after ?? '', {
      old: before === undefined ? '/dev/null' : `committed/${path}`,
      new: after === undefined ? '/dev/null' : `extracted/${path}`,
    });
    files.push({ path, status, diff });
  }

  const before = summariseIndex(committed.get(INDEX_FILE))?.manifests ?? new Map<string, IndexEntry>();
  const afterSummary = summariseIndex(extracted.get(INDEX_FILE));
  const after = afterSummary?.manifests ?? new Map<string, IndexEntry>();
  const changed: string[] = [];
  const moved: string[] = [];
  for (const [key, now] of after) {
    const then = before.get(key);
    if (then === undefined) continue;
    const path = `${key}.yaml`;
    if (then.identity !== now.identity || body(committed.get(path)) !== body(extracted.get(path))) changed.push(key);
    else if (then.source !== now.source) moved.push(`${key}: ${then.source} -> ${now.source}`);
  }
  return {
    equal: files.length === 0,
    extractedManifests: after.size,
    manifests: {
      added: [...after.keys()].filter((k) => !before.has(k)),
      removed: [...before.keys()].filter((k) => !after.has(k)),
      changed,
      moved,
    },
    edits: compareEdits(summariseIndex(committed.get(INDEX_FILE))?.edits ?? [], afterSummary?.edits ?? []),
    files,
  };
}

/** The check's report: a one-line summary when equal, otherwise what changed and how to accept it. */
export function formatComparison(
  comparison: SnapshotComparison,
  context: { source: string; snapshotDir: string; acceptCommand: string },
): string {
  if (comparison.equal) {
    return `extract:check: ${context.source}: ${comparison.extractedManifests} manifests and their edits match ${context.snapshotDir}\n`;
  }
  const lines = [`extract:check: ${context.source}: the tutorial text no longer matches ${context.snapshotDir}`, ''];
  const list = (title: string, items: string[]): void => {
    if (items.length > 0) lines.push(`${title}:`, ...items.map((item) => `  ${item}`));
  };
  list('manifests added', comparison.manifests.added);
  list('manifests removed', comparison.manifests.removed);
  list('manifests changed', comparison.manifests.changed);
  list('manifests moved (same content, other line)', comparison.manifests.moved);
  list('edits added', comparison.edits.added);
  list('edits removed', comparison.edits.removed);
  list('edits moved (same edit, other line)', comparison.edits.moved);
  list(
    'files',
    comparison.files.map((f) => `${f.status.padEnd(7)} ${f.path}`),
  );
  lines.push('', ...comparison.files.map((f) => f.diff));
  lines.push('If the tutorial changed on purpose, review the diff above and accept it with:', `  ${context.acceptCommand}`, '');
  return lines.join('\n');
}
