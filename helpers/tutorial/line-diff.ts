// A small unified diff for snapshot reviews (files are tens of lines, so an
// O(n*m) longest-common-subsequence table is fine and keeps this dependency-free).

type Op = { type: 'same' | 'del' | 'add'; text: string; oldLine: number; newLine: number };

function diffOps(oldLines: readonly string[], newLines: readonly string[]): Op[] {
  const n = oldLines.length;
  const m = newLines.length;
  // lcs[i][j] = length of the LCS of oldLines[i..] and newLines[j..].
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i -= 1) {
    for (let j = m - 1; j >= 0; j -= 1) {
      const row = lcs[i] as number[];
      row[j] = oldLines[i] === newLines[j] ? (lcs[i + 1]?.[j + 1] ?? 0) + 1 : Math.max(lcs[i + 1]?.[j] ?? 0, row[j + 1] ?? 0);
    }
  }
  const ops: Op[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && oldLines[i] === newLines[j]) {
      ops.push({ type: 'same', text: oldLines[i] ?? '', oldLine: i, newLine: j });
      i += 1;
      j += 1;
    } else if (i < n && (j >= m || (lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0))) {
      // Deletions first, as `diff -u` shows them.
      ops.push({ type: 'del', text: oldLines[i] ?? '', oldLine: i, newLine: j });
      i += 1;
    } else {
      ops.push({ type: 'add', text: newLines[j] ?? '', oldLine: i, newLine: j });
      j += 1;
    }
  }
  return ops;
}

function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/**
 * Unified diff (`---`/`+++` headers, `@@` hunks with `context` lines around changes).
 * Returns '' when the texts are equal.
 */
export function unifiedDiff(
  oldText: string,
  newText: string,
  labels: { old: string; new: string },
  context = 3,
): string {
  if (oldText === newText) return '';
  const ops = diffOps(splitLines(oldText), splitLines(newText));
  const changed = ops.map((op, index) => (op.type === 'same' ? -1 : index)).filter((index) => index >= 0);
  const hunks: Array<[number, number]> = [];
  for (const index of changed) {
    const start = Math.max(0, index - context);
    const end = Math.min(ops.length - 1, index + context);
    const last = hunks[hunks.length - 1];
    if (last !== undefined && start <= last[1] + 1) last[1] = Math.max(last[1], end);
    else hunks.push([start, end]);
  }
  const out = [`--- ${labels.old}`, `+++ ${labels.new}`];
  if (hunks.length === 0) out.push('(only the final newline differs)');
  for (const [start, end] of hunks) {
    const slice = ops.slice(start, end + 1);
    const first = slice[0];
    const oldCount = slice.filter((op) => op.type !== 'add').length;
    const newCount = slice.filter((op) => op.type !== 'del').length;
    const oldStart = first === undefined ? 0 : first.oldLine + (oldCount === 0 ? 0 : 1);
    const newStart = first === undefined ? 0 : first.newLine + (newCount === 0 ? 0 : 1);
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const op of slice) out.push(`${op.type === 'same' ? ' ' : op.type === 'del' ? '-' : '+'}${op.text}`);
  }
  return `${out.join('\n')}\n`;
}
