// report.html as a person sees it: opened from file:// in headless Chromium
// (Debian's package, installed by scripts/install-chromium.sh when missing),
// which reads the DOM it built and takes a screenshot, kept under
// artifacts/html-report/. Chromium gets no proxy and resolves no host name,
// and the page references nothing outside itself anyway.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { execa } from 'execa';
import { formatHtmlReport } from './html-report.js';
import { PROJECT_ROOT } from './project-root.js';
import { CYBOZU, SAMPLE_DETAILS, SAMPLE_PARTS, SAMPLE_REPORT } from './report-fixture.js';

const INSTALL = join(PROJECT_ROOT, 'scripts', 'install-chromium.sh');
const SCREENSHOT = join(PROJECT_ROOT, 'artifacts', 'html-report', 'report.png');
const CHROMIUM_TIMEOUT_MS = 30_000;

/** Process groups of the Chromiums this file started and that have not ended yet. */
const running = new Set<number>();

function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * Runs Chromium in a process group of its own, so that on a timeout the
 * browser and every helper process it started are killed by that group's id.
 */
async function chromium(profile: string, args: string[]): Promise<string> {
  const child = spawn(
    'chromium',
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-proxy-server',
      '--host-resolver-rules=MAP * ~NOTFOUND',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      `--user-data-dir=${profile}`,
      ...args,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  if (pid !== undefined) running.add(pid);
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  const timeout = { hit: false };
  const timer = setTimeout(() => {
    timeout.hit = true;
    if (pid !== undefined) killGroup(pid);
  }, CHROMIUM_TIMEOUT_MS);
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    if (timeout.hit) throw new Error(`chromium ${args.join(' ')} did not finish within ${CHROMIUM_TIMEOUT_MS} ms; killed its process group ${pid ?? '?'}`);
    if (code !== 0) throw new Error(`chromium ${args.join(' ')} exited ${code ?? 'on a signal'}:\n${stderr.slice(-3000)}`);
    return stdout;
  } finally {
    clearTimeout(timer);
    if (pid !== undefined) running.delete(pid);
  }
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const png = readFileSync(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('report.html in headless Chromium', () => {
  let dir: string;
  let page: string;

  beforeAll(async () => {
    const install = await execa('bash', [INSTALL], { reject: false, all: true, timeout: 10 * 60_000 });
    if (install.exitCode !== 0) {
      throw new Error(`headless Chromium is needed to test report.html, and ${INSTALL} could not install it (exit ${install.exitCode ?? '?'}):\n${install.all}`);
    }
    dir = mkdtempSync(join(tmpdir(), 'tte-html-report-'));
    page = pathToFileURL(join(dir, 'report.html')).href;
    writeFileSync(join(dir, 'report.html'), formatHtmlReport([{ version: SAMPLE_REPORT.serverVersion, report: SAMPLE_REPORT, details: SAMPLE_DETAILS }], { partOf: (s) => SAMPLE_PARTS[s] }));
  }, 11 * 60_000);

  afterAll(() => {
    for (const pid of running) killGroup(pid);
    rmSync(dir, { recursive: true, force: true });
  });

  test('the DOM it builds: rows in the course order, a FAILED cell, its evidence at the anchor it links to, a <script> as text', async () => {
    const dom = await chromium(join(dir, 'profile-dom'), ['--dump-dom', page]);
    const rows = [...dom.matchAll(/<th class="section" scope="row">[^<]*<br><code>([^<]*)<\/code><\/th>/g)].map((m) => m[1]);
    expect(rows).toEqual(SAMPLE_REPORT.sections.map((s) => s.section));

    const row = SAMPLE_REPORT.sections.findIndex((s) => s.section === 'deployment');
    const failed = new RegExp(`<td id="cell-0-${row}-${SAMPLE_REPORT.sources.indexOf(CYBOZU)}" class="v-failed">(.*?)</td>`).exec(dom)?.[1] ?? '';
    expect(failed).toMatch(/<a class="word" href="#(details-[\d-]+)">✗ FAILED<\/a>/);
    expect(failed).toContain('Error: the Deployment introduction-to-kubernetes/deployment-nginx-deployment/1 has no image change');
    const anchor = /href="#(details-[\d-]+)"/.exec(failed)?.[1] ?? '?';
    expect(dom).toMatch(new RegExp(`<section id="${anchor}" class="details v-failed">[\\s\\S]*?the text of section deployment changed since it was reviewed`));

    // The browser made a text node of it, not an element.
    expect(dom).not.toMatch(/<script/i);
    expect(dom).toContain('&lt;script&gt;alert("x")&lt;/script&gt;');
  }, 60_000);

  test('a screenshot of the page at 1280x900, kept under artifacts/html-report/', async () => {
    mkdirSync(join(PROJECT_ROOT, 'artifacts', 'html-report'), { recursive: true });
    rmSync(SCREENSHOT, { force: true });
    await chromium(join(dir, 'profile-png'), [`--screenshot=${SCREENSHOT}`, '--window-size=1280,900', '--hide-scrollbars', page]);
    expect(pngSize(SCREENSHOT)).toEqual({ width: 1280, height: 900 });
    // A blank or unstyled page compresses to a few kilobytes; the table with its colours does not.
    expect(statSync(SCREENSHOT).size).toBeGreaterThan(40_000);
  }, 60_000);
});
