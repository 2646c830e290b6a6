// `npm run extract` and `npm run extract:check`: the command logic in-process,
// plus one real run of each script to prove the wiring (exit code, streams).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from '@jest/globals';
import { runExtract, runExtractCheck } from '../helpers/tutorial/extract-commands.js';
import { repoRoot, sources } from '../helpers/tutorial/test-paths.js';
import { sectionsFile } from '../helpers/suite/reviewed.js';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'extract-scripts-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

describe('extract:check against the committed snapshots', () => {
  it.each([
    ['cybozu-introduction-to-kubernetes@b3e9c28', sources.cybozuHead],
    ['cybozu-introduction-to-kubernetes@b2a7ea4', sources.cybozu2020],
    ['blog-walkthrough', sources.blog],
  ])('%s matches manifests/%s', (name, source) => {
    expect(runExtractCheck([source], repoRoot, repoRoot, sectionsFile)).toEqual({
      code: 0,
      stdout: `extract:check: ${name}: 11 manifests and their edits match manifests/${name}\n`,
      stderr: '',
    });
  });
});

describe('extract then extract:check in a scratch folder', () => {
  const out = path.join(tmp, 'blog');

  it('writes one YAML per manifest plus index.yaml', () => {
    const result = runExtract([sources.blog, '--out', out], repoRoot, tmp);
    expect(result).toEqual({ code: 0, stdout: 'extract: blog-walkthrough: wrote 11 manifests and index.yaml to blog\n', stderr: '' });
    expect(fs.readFileSync(path.join(out, 'article', 'pod-bastion', '1.yaml'), 'utf8')).toMatch(
      /^# Extracted from blog-walkthrough\/article\.md:159 by `npm run extract`/,
    );
    expect(runExtractCheck([sources.blog, '--out', out], repoRoot, tmp).code).toBe(0);
  });

  it('fails with a readable diff and the accept command when the snapshot drifts', () => {
    const file = path.join(out, 'article', 'pod-bastion', '1.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('debian:stretch', 'debian:bookworm'));
    fs.rmSync(path.join(out, 'article', 'volume', '1.yaml'));
    const result = runExtractCheck([sources.blog, '--out', out], repoRoot, tmp);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^extract:check: blog-walkthrough: the tutorial text no longer matches blog\n/);
    expect(result.stderr).toContain('manifests changed:\n  article/pod-bastion/1\n');
    expect(result.stderr).toContain('-      image: debian:bookworm\n+      image: debian:stretch\n');
    expect(result.stderr).toContain('files:\n  changed article/pod-bastion/1.yaml\n  added   article/volume/1.yaml\n');
    expect(result.stderr).toContain(`accept it with:\n  npm run extract -- ${sources.blog} --out ${out}\n`);
  });

  it('accepting with extract makes the check pass again', () => {
    expect(runExtract([sources.blog, '--out', out], repoRoot, tmp).code).toBe(0);
    expect(runExtractCheck([sources.blog, '--out', out], repoRoot, tmp).code).toBe(0);
  });

  it('refuses to overwrite a folder that is not a snapshot', () => {
    const precious = path.join(tmp, 'precious');
    fs.mkdirSync(precious);
    fs.writeFileSync(path.join(precious, 'notes.txt'), 'keep me');
    const result = runExtract([sources.blog, '--out', precious], repoRoot, tmp);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('does not look like a snapshot folder; refusing to overwrite it');
    expect(fs.readFileSync(path.join(precious, 'notes.txt'), 'utf8')).toBe('keep me');
  });
});

describe('command errors', () => {
  it('names a missing source and exits 1 without a stack trace', () => {
    const missing = path.join(tmp, 'missing');
    expect(runExtractCheck([missing], repoRoot, tmp)).toEqual({
      code: 1,
      stdout: '',
      stderr: `extract:check: ${missing}: no such file or folder\n  fix: pass a tutorial folder (e.g. ../shared/tutorials/blog-walkthrough) or one .adoc/.md file; relative paths are resolved from the current directory\n`,
    });
  });

  it('prints the usage line for missing or extra arguments', () => {
    expect(runExtract([], repoRoot, tmp).stderr).toBe(
      'extract: missing the tutorial path\nusage: <tutorial folder or .adoc/.md file> [--out manifests/<source-name>]\n',
    );
    expect(runExtract(['a', 'b'], repoRoot, tmp).code).toBe(1);
  });

  it('reports a broken tutorial with file:line', () => {
    const broken = path.join(tmp, 'broken');
    fs.mkdirSync(broken);
    fs.writeFileSync(path.join(broken, 'lab.md'), '# Lab\n\n```yaml\napiVersion: v1\nkind: Pod\n```\n');
    const result = runExtract([broken, '--out', path.join(tmp, 'broken-out')], repoRoot, tmp);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^extract: lab\.md:4: untitled manifest block is missing metadata\.name: /);
    expect(fs.existsSync(path.join(tmp, 'broken-out'))).toBe(false);
  });
});

describe('the scripts as npm runs them', () => {
  const tsx = path.join(repoRoot, 'node_modules', '.bin', 'tsx');
  const script = (name: string, ...args: string[]) =>
    spawnSync(tsx, [path.join(repoRoot, 'scripts', `${name}.ts`), ...args], { cwd: repoRoot, encoding: 'utf8' });

  it('extract:check exits 0 and prints the summary on stdout', () => {
    const result = script('extract-check', sources.blog);
    expect([result.status, result.stdout, result.stderr]).toEqual([
      0,
      'extract:check: blog-walkthrough: 11 manifests and their edits match manifests/blog-walkthrough\n',
      '',
    ]);
  });

  it('extract exits 1 with the message on stderr for a bad source', () => {
    const result = script('extract', path.join(tmp, 'missing'));
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^extract: .*missing: no such file or folder\n/);
  });
});
