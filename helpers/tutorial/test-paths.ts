// Where the unit tests find the real tutorial sources (read-only inputs, never
// copied into the project): ../shared/tutorials next to the repository.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const tutorialsRoot = path.resolve(repoRoot, '../shared/tutorials');

export const sources = {
  cybozuHead: path.join(tutorialsRoot, 'cybozu-introduction-to-kubernetes@b3e9c28'),
  cybozu2020: path.join(tutorialsRoot, 'cybozu-introduction-to-kubernetes@b2a7ea4'),
  blog: path.join(tutorialsRoot, 'blog-walkthrough'),
} as const;
