// Scratch folders for the reader's unit tests: tiny invented (or hostile)
// tutorials written to a temporary folder, removed after the test file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll } from '@jest/globals';

export interface ScratchFolders {
  /** The test file's temporary folder (cases are folders inside it). */
  root: string;
  /** Writes `files` into a fresh folder and returns its path. */
  folder: (files: Record<string, string | Buffer>) => string;
}

export function scratchFolders(prefix: string): ScratchFolders {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  let counter = 0;
  return {
    root,
    folder: (files) => {
      counter += 1;
      const dir = path.join(root, `case-${counter}`);
      fs.mkdirSync(dir);
      for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
      return dir;
    },
  };
}
