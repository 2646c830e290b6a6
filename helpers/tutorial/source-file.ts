// Reading one tutorial file defensively. The reader may be pointed at anything
// (a wrong folder, a checkout with a stray archive named *.md, a FIFO), so the
// file's type and size are checked on the opened descriptor before a byte is
// read, at most the limit is ever read, and text that is not UTF-8 is refused
// at the line where it stops being text.
import fs from 'node:fs';
import path from 'node:path';
import { TutorialSourceError } from './errors.js';

/**
 * Largest tutorial file the reader reads, in bytes: 1 MiB. The tutorials we verify are
 * at most 40 KB, so this is 25 times that. Parsing is linear but slow per byte: a 1 MB
 * stress file (a manifest and a transcript every 15 lines) reads in about 0.5 s as
 * Markdown and 1.5 s as AsciiDoc with ~200 MB resident; at 5 MB AsciiDoc took 9 s
 * and 660 MB, too much for a mistake to cost.
 */
export const DEFAULT_MAX_SOURCE_BYTES = 1024 * 1024;

/** Environment variable that overrides DEFAULT_MAX_SOURCE_BYTES (the readTutorial option wins over it). */
export const MAX_SOURCE_BYTES_ENV = 'TUTORIAL_E2E_MAX_SOURCE_BYTES';

/** The per-file limit: the option, else the environment variable, else the default. */
export function maxSourceBytes(option: number | undefined, env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[MAX_SOURCE_BYTES_ENV];
  const [value, origin] =
    option !== undefined ? [option, 'the maxSourceBytes option'] : raw === undefined || raw.trim() === '' ? [DEFAULT_MAX_SOURCE_BYTES, ''] : [Number(raw.trim()), MAX_SOURCE_BYTES_ENV];
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new TutorialSourceError({
      problem: `${origin} is ${option === undefined ? JSON.stringify(raw) : String(option)}, not a positive whole number of bytes`,
      fix: `give the largest tutorial file to read in bytes, e.g. ${MAX_SOURCE_BYTES_ENV}=${DEFAULT_MAX_SOURCE_BYTES}`,
    });
  }
  return value;
}

/** Runs a file-system call, turning its failure (permissions, a vanished file) into a TutorialSourceError. */
export function readable<T>(file: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    throw new TutorialSourceError(
      {
        file,
        problem: `cannot be read: ${typeof code === 'string' ? `${code}, ` : ''}${error instanceof Error ? error.message : String(error)}`,
        fix: 'check that the path exists and is readable by the user running the suite',
      },
      { cause: error },
    );
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function tooLarge(file: string, size: string, limit: number): TutorialSourceError {
  return new TutorialSourceError({
    file,
    problem: `is ${size}, over the limit of ${limit} bytes (${megabytes(limit)}) for one tutorial file, so the reader refuses it without reading it (tutorials are well under 100 KB)`,
    fix: `pass the folder or file that holds the tutorial text; if this really is the tutorial, raise the limit with ${MAX_SOURCE_BYTES_ENV} or the maxSourceBytes option`,
  });
}

/**
 * O_NONBLOCK lets open() return at once on a FIFO (which would otherwise wait for a
 * writer forever) so that fstat can refuse it; on regular files it changes nothing.
 */
const OPEN_FLAGS = fs.constants.O_RDONLY | fs.constants.O_NONBLOCK;

const CHUNK_BYTES = 64 * 1024;

/** Reads to the end of the file or until more than `limit` bytes came, whichever is first. */
function readAtMost(fd: number, limit: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  while (total <= limit) {
    const chunk = Buffer.allocUnsafe(Math.min(CHUNK_BYTES, limit + 1 - total));
    const read = fs.readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) break;
    chunks.push(chunk.subarray(0, read));
    total += read;
  }
  return Buffer.concat(chunks, total);
}

/**
 * The bytes of `root/file`: refused before reading when it is no regular file or is
 * larger than `limit`, and refused again if it grew past the limit since (the read
 * stops at limit + 1 bytes either way).
 */
function readBounded(root: string, file: string, limit: number): Buffer {
  const fd = readable(file, () => fs.openSync(path.join(root, file), OPEN_FLAGS));
  try {
    const stat = readable(file, () => fs.fstatSync(fd));
    if (!stat.isFile()) {
      throw new TutorialSourceError({
        file,
        problem: 'is not a regular file (a FIFO, socket or device): reading it might never end',
        fix: 'pass the folder or file that holds the tutorial text',
      });
    }
    if (stat.size > limit) throw tooLarge(file, `${stat.size} bytes (${megabytes(stat.size)})`, limit);
    const bytes = readable(file, () => readAtMost(fd, limit));
    if (bytes.length > limit) throw tooLarge(file, `more than ${limit} bytes (it grew while being read)`, limit);
    return bytes;
  } finally {
    fs.closeSync(fd);
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** 1-based line of a byte offset. */
function lineAt(bytes: Buffer, offset: number): number {
  let line = 1;
  for (let i = bytes.indexOf(0x0a); i >= 0 && i < offset; i = bytes.indexOf(0x0a, i + 1)) line += 1;
  return line;
}

/** The first line that is not valid UTF-8 (no multi-byte sequence spans a newline byte, so lines decode alone). */
function firstNonUtf8Line(bytes: Buffer): number | undefined {
  let start = 0;
  for (let line = 1; start <= bytes.length; line += 1) {
    const newline = bytes.indexOf(0x0a, start);
    const end = newline < 0 ? bytes.length : newline;
    try {
      utf8.decode(bytes.subarray(start, end));
    } catch {
      return line;
    }
    start = end + 1;
  }
  return undefined;
}

/** The bytes as text; a binary or non-UTF-8 file (an image or archive with a tutorial's extension) is a source error at its first bad line. */
function decode(file: string, bytes: Buffer): string {
  // A NUL byte is valid UTF-8 but never in text; checking it first names binary files as such.
  const nul = bytes.indexOf(0);
  if (nul >= 0) {
    throw new TutorialSourceError({
      file,
      line: lineAt(bytes, nul),
      problem: 'holds a NUL byte: this is a binary file, not AsciiDoc or Markdown text',
      fix: 'pass the folder or file that holds the tutorial text',
    });
  }
  try {
    return utf8.decode(bytes);
  } catch (error) {
    const line = firstNonUtf8Line(bytes);
    throw new TutorialSourceError(
      {
        file,
        ...(line === undefined ? {} : { line }),
        problem: 'is not UTF-8 text, so it cannot be AsciiDoc or Markdown',
        fix: 'save the file as UTF-8, or pass the folder or file that holds the tutorial text',
      },
      { cause: error },
    );
  }
}

/** The text of the tutorial file `file` (relative to `root`, as messages name it). */
export function readSourceText(root: string, file: string, limit: number): string {
  return decode(file, readBounded(root, file, limit));
}
