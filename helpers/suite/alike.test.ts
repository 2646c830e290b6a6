import { allBlocks, readTutorial, type Command, type Tutorial } from '../tutorial/index.js';
import { sources } from '../tutorial/test-paths.js';
import { compareAlike, formatMismatch, genericName, parseShown, type AlikeResult, type Shown } from './alike.js';

// ---- the real sources -------------------------------------------------------

type SourceName = keyof typeof sources;
const tutorials: Record<SourceName, Tutorial> = {
  cybozuHead: readTutorial(sources.cybozuHead),
  cybozu2020: readTutorial(sources.cybozu2020),
  blog: readTutorial(sources.blog),
};

function commandsOf(source: SourceName): Command[] {
  return allBlocks(tutorials[source]).flatMap((b) => (b.kind === 'transcript' ? b.commands : []));
}

const withOutput = (source: SourceName): Command[] => commandsOf(source).filter((c) => c.output.length > 0);

/** The first command of a source whose text is `text` and whose shown output passes `where`. */
function shownCommand(source: SourceName, text: string, where: (output: string) => boolean = () => true): Command {
  const found = commandsOf(source).find((c) => c.text === text && c.output.length > 0 && where(c.output.join('\n')));
  if (found === undefined) throw new Error(`${source}: no \`${text}\` with such output`);
  return found;
}

const cmd = (text: string, output: string[], where: Command['context'] = { where: 'host' }): Command => ({
  text,
  prompt: '$ ',
  context: where,
  comments: [],
  output,
  source: { file: 'invented.md', line: 10 },
});

const messages = (r: AlikeResult): string[] => r.differences.map((d) => d.message);

function expectAlike(c: Command, actual: string, opts?: Parameters<typeof compareAlike>[2]): AlikeResult {
  const r = compareAlike(c, actual, opts);
  if (!r.alike) throw new Error(formatMismatch(c, actual, r));
  return r;
}

function expectUnlike(c: Command, actual: string, ...expected: string[]): AlikeResult {
  const r = compareAlike(c, actual);
  expect(r.alike).toBe(false);
  for (const e of expected) expect(messages(r)).toContainEqual(expect.stringContaining(e));
  return r;
}

// ---- plausible run output, generated from the text's ------------------------

const GEN = 'bcdfghjklmnpqrstvwxz2456789';
/** A deterministic generated-looking string of `len` characters. */
function gen(seed: number, len: number): string {
  let s = '';
  let x = seed * 7919 + 17;
  for (let i = 0; i < len; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    s += GEN.charAt(x % GEN.length);
  }
  return /[0-9]/.test(s) ? s : `${s.slice(0, -1)}7`;
}

/** Other generated suffixes, consistently: one ReplicaSet hash stays one hash. */
function newSuffixes(text: string): string {
  const map = new Map<string, string>();
  const other = (old: string): string => {
    let v = map.get(old);
    if (v === undefined) map.set(old, (v = gen(map.size + 1, old.length === 5 ? 5 : 9)));
    return v;
  };
  return text.replace(/\b([a-z][a-z0-9]*(?:-[a-z][a-z0-9]*)*?)-((?=[a-z]*\d)[a-z0-9]{6,10}-)?([a-z0-9]{5})\b(?![-.]\w)/g, (whole, prefix: string, hash: string | undefined, suffix: string) => {
    if (!/\d/.test(suffix) && /[aeiou]/.test(suffix)) return whole;
    return `${prefix}-${hash !== undefined ? `${other(hash.slice(0, -1))}-` : ''}${other(suffix)}`;
  });
}

/** Renders a table the way kubectl's tabwriter does: columns padded to the widest cell plus three spaces. */
function render(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd((widths[i] ?? 0) + 3)))
      .join('')
      .trimEnd();
  return [header, ...rows].map(line).join('\n');
}

const FREE_VALUES: Record<string, (v: string, i: number) => string> = {
  AGE: (_v, i) => ['7s', '2d3h', '45m', '119s', '3h10m'][i % 5] ?? '1s',
  IP: (_v, i) => `10.244.1.${i + 17}`,
  'CLUSTER-IP': (_v, i) => `10.96.${i + 3}.${i + 200}`,
  NODE: () => 'kind-worker',
};

/** The text's table with other ages, IPs, nodes and generated suffixes, realigned, rows in reverse order. */
function plausibleTable(shown: Extract<Shown, { kind: 'table' }>): string {
  const rows = shown.rows.map((r, i) => r.map((cell, j) => FREE_VALUES[shown.header[j] ?? '']?.(cell, i) ?? cell));
  return newSuffixes(render(shown.header, shown.watch ? rows : [...rows].reverse()));
}

/** The text's describe output as a newer cluster prints it: other times, IPs, node, namespace, runtime, an extra field. */
function plausibleDescribe(lines: string[]): string {
  return newSuffixes(
    ['Service Account:  default', ...lines]
      .join('\n')
      .replace(/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} \w{3} \d{4} \d{2}:\d{2}:\d{2} [+-]\d{4}/g, 'Tue, 11 Mar 2025 09:08:07 +0000')
      .replace(/\b\d+\.\d+\.\d+\.\d+\b/g, '10.244.2.9')
      .replace(/\bdocker:\/\/[0-9a-f]+/g, `containerd://${'5e'.repeat(32)}`)
      .replace(/sha256:[0-9a-f]+/g, `sha256:${'c0ffee'.repeat(10)}abcd`)
      .replace(/kubelet, minikube/g, 'kubelet          ')
      .replace(/\bminikube\b/g, 'kind-worker')
      .replace(/(Namespace:\s+)default/, '$1tut-ns-1')
      .replace(/default\//g, 'tut-ns-1/')
      .replace(/(Normal\s+\w+\s+)\S+/g, (_m, head: string) => `${head}9s`),
  );
}

const WELCOME = [
  '<!DOCTYPE html>',
  '<html>',
  '<head>',
  '<title>Welcome to nginx!</title>',
  '<style>',
  'html { color-scheme: light dark; }',
  '</style>',
  '</head>',
  '<body>',
  '<h1>Welcome to nginx!</h1>',
  '</body>',
  '</html>',
];
const nginxAnswer = (status = 'HTTP/1.1 200 OK', title = 'Welcome to nginx!'): string =>
  [
    status,
    'Server: nginx/1.27.3',
    'Date: Tue, 11 Mar 2025 09:08:07 GMT',
    'Content-Type: text/html',
    'Content-Length: 615',
    'Last-Modified: Tue, 26 Nov 2024 15:55:00 GMT',
    'Connection: keep-alive',
    'ETag: "6745ef54-267"',
    'Accept-Ranges: bytes',
    '',
    ...WELCOME.map((l) => l.replace('Welcome to nginx!', title)),
  ].join('\r\n');

/** Log lines from another run: other client IPs, times, user-agent versions, plus nginx's start-up lines. */
function plausibleLogs(lines: string[]): string {
  return [
    '/docker-entrypoint.sh: Configuration complete; ready for start up',
    ...lines.map((l) =>
      l
        .replace(/\b\d+\.\d+\.\d+\.\d+\b/g, '10.244.0.1')
        .replace(/\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}/g, '11/Mar/2025:09:08:07')
        .replace(/\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}/g, '2025/03/11 09:08:07')
        .replace(/curl\/[\d.]+/g, 'curl/8.11.1')
        .replace(/Chrome\/[\d.]+/g, 'Chrome/131.0.0.0')
        .replace(/:5\d{4}/g, ':40123'),
    ),
    '10.244.0.1 - - [11/Mar/2025:09:09:00 +0000] "GET /healthz HTTP/1.1" 404 153 "-" "kube-probe/1.31" "-"',
  ].join('\n');
}

/** What a run could print that the text's reader would take for the same. */
function plausible(c: Command, shown: Shown): string {
  switch (shown.kind) {
    case 'table':
      return plausibleTable(shown);
    case 'describe':
      return plausibleDescribe(c.output);
    case 'http':
      return nginxAnswer(shown.statusLine);
    case 'logs':
      return plausibleLogs(c.output);
    case 'messages':
      return shown.messages.map((m) => m.line.replace(/ configured$/, ' unchanged').replace(/^Pod\//, 'pod/')).join('\n');
    case 'lines':
      return c.output.join('\n').replace(/v1\.12\.3/g, 'v1.35.0').replace(/\b[0-9a-f]{40}\b/g, 'dd5d320e41b5451cdf3c01891bc4e13d189586ed').replace(/:53157/g, ':41001');
    case 'none':
      return 'anything at all\n';
  }
}

// ---- 1. every real shown output is classified ---------------------------------

describe('the real sources: every shown output is classified', () => {
  const expected: Record<SourceName, Record<string, number>> = {
    cybozuHead: { none: 28, table: 2, describe: 1, http: 3, logs: 1 },
    cybozu2020: { none: 29, table: 2, describe: 1, http: 3, logs: 1 },
    blog: { none: 11, lines: 3, messages: 14, table: 23, describe: 5, http: 3, logs: 2 },
  };

  test.each(Object.keys(expected) as SourceName[])('%s: classification counts', (source) => {
    const counts: Record<string, number> = {};
    for (const c of commandsOf(source)) {
      const shown = parseShown(c);
      counts[shown.kind] = (counts[shown.kind] ?? 0) + 1;
    }
    expect(counts).toEqual(expected[source]);
  });

  test.each(Object.keys(expected) as SourceName[])('%s: each shape is read whole (no ragged rows, no empty parse)', (source) => {
    for (const c of withOutput(source)) {
      const shown = parseShown(c);
      const at = `${c.source.file}:${c.source.line}`;
      switch (shown.kind) {
        case 'table':
          expect({ at, ragged: shown.ragged }).toEqual({ at, ragged: [] });
          for (const row of shown.rows) expect(row).toHaveLength(shown.header.length);
          expect(shown.header[0]).toBe('NAME');
          break;
        case 'describe':
          expect(shown.fields.length + (shown.events?.length ?? 0)).toBeGreaterThan(0);
          break;
        case 'http':
          expect(shown.status).toBe(200);
          break;
        case 'messages':
          expect(shown.messages).toHaveLength(c.output.length);
          break;
        case 'logs':
        case 'lines':
          expect(shown.lines.length).toBeGreaterThan(0);
          break;
        case 'none':
          // Only elision marks (`（省略）` after `apt install`).
          expect(c.output.every((l) => /省略|中略|\.\.\./.test(l))).toBe(true);
      }
    }
  });

  test('reads a describe excerpt into key paths and events', () => {
    const shown = parseShown(shownCommand('blog', 'kubectl describe pod nginx', (o) => o.includes('Mounts')));
    expect(shown.kind).toBe('describe');
    if (shown.kind !== 'describe') return;
    expect(shown.fields.find((f) => f.path.join('>') === 'Containers>fluentd>Image')?.value).toBe('fluent/fluentd:v1.11');
    expect(shown.fields.find((f) => f.path.join('>') === 'Containers>nginx>Mounts')?.more).toEqual([
      '/var/log/nginx from nginx-log (rw)',
      '/var/run/secrets/kubernetes.io/serviceaccount from default-token-q8zvm (ro)',
    ]);
    const events = parseShown(shownCommand('cybozuHead', 'kubectl describe pod my-first-pod'));
    expect(events.kind === 'describe' ? events.events?.map((e) => e.reason) : []).toEqual(['Scheduled', 'Pulling', 'Pulled', 'Created', 'Started']);
  });
});

// ---- 2. alike with itself and with a plausible run; unlike when it matters --------

describe('the real sources: each shown output against itself and a plausible run', () => {
  const all = (Object.keys(sources) as SourceName[]).flatMap((source) =>
    withOutput(source).map((c) => [`${source} ${c.source.file}:${c.source.line} ${c.text}`, c] as const),
  );

  test.each(all)('%s', (_name, c) => {
    const shown = parseShown(c);
    expectAlike(c, c.output.join('\n'));
    expectAlike(c, plausible(c, shown));
  });
});

describe('kubectl get tables', () => {
  test('names are alike up to their generated suffixes', () => {
    expect(genericName('nginx-deployment-5b4c7f657-cbd8r')).toBe('nginx-deployment-*');
    expect(genericName('nginx-deployment-6d9f8c7b5-x2k4p')).toBe('nginx-deployment-*');
    expect(genericName('nginx-deployment-5b4c7f657')).toBe('nginx-deployment-*');
    expect(genericName('nginx-replicaset-abcde')).toBe('nginx-replicaset-*');
    for (const fixed of ['my-first-pod', 'my-first-service', 'sample-healthcheck', 'nginx-deployment', 'nginx-pdb', 'bastion', 'kubernetes']) expect(genericName(fixed)).toBe(fixed);
  });


  const blogGetPod = shownCommand('blog', 'kubectl get pod', (o) => o.includes('nginx-replicaset-5swkc') && !o.includes('Terminating'));

  test('kubectl get pod (blog): ReplicaSet pods alike up to their suffixes; status, row count and headers matter', () => {
    const actual = render(
      ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      [
        ['bastion', '1/1', 'Running', '0', '2m'],
        ['nginx-replicaset-k7x2p', '1/1', 'Running', '0', '9s'],
        ['nginx-replicaset-q9zz4', '1/1', 'Running', '0', '40s'],
        ['nginx-replicaset-x2k4p', '1/1', 'Running', '0', '40s'],
        ['nginx-replicaset-w4tv6', '1/1', 'Running', '0', '40s'],
      ],
    );
    expectAlike(blogGetPod, actual);
    expectUnlike(blogGetPod, actual.replace(/(x2k4p\s+)1\/1(\s+)Running /, '$10/1$2CrashLoopBackOff'), 'row nginx-replicaset-* column STATUS: text shows Running, got CrashLoopBackOff', 'row nginx-replicaset-* column READY: text shows 1/1, got 0/1');
    expectUnlike(blogGetPod, `${actual}\nnginx-replicaset-b5n7c   1/1     Running   0          1s`, 'the text shows 5 rows, got 6: extra row nginx-replicaset-b5n7c');
    expectUnlike(blogGetPod, actual.split('\n').slice(0, 3).join('\n'), 'the text shows 5 rows, got 2: no row like nginx-replicaset-*');
    expectUnlike(blogGetPod, actual.replace('RESTARTS', 'RESTART '), 'column headers differ: text shows NAME, READY, STATUS, RESTARTS, AGE, got NAME, READY, STATUS, RESTART, AGE');
    expectUnlike(blogGetPod, actual.replace(/(bastion\s+1\/1\s+Running\s+)0/, '$13 (5s ago)'), 'row bastion column RESTARTS: text shows 0, got 3 (5s ago)');
    // A restart annotation is free, the count is not.
    expectAlike(blogGetPod, actual.replace(/(bastion\s+1\/1\s+Running\s+)0 /, '$10 (5s ago)'));
  });

  test('kubectl get pod (cybozu): one pod; a pod of another name is no row like it', () => {
    const c = shownCommand('cybozuHead', 'kubectl get pod');
    expectAlike(c, 'NAME           READY   STATUS    RESTARTS   AGE\nmy-first-pod   1/1     Running   0          4s');
    const r = expectUnlike(c, 'NAME           READY   STATUS              RESTARTS   AGE\nmy-first-pod   0/1     ContainerCreating   0          1s', 'row my-first-pod column STATUS: text shows Running, got ContainerCreating');
    expect(r.inPassing).toEqual([]);
    expectUnlike(c, 'NAME            READY   STATUS    RESTARTS   AGE\nmy-second-pod   1/1     Running   0          4s', 'the text shows 1 rows, got 1: no row like my-first-pod', 'extra row my-second-pod');
    expectUnlike(c, 'No resources found in tut-1 namespace.', 'the text shows a table (NAME, READY, STATUS, RESTARTS, AGE; 1 rows), got no table: "No resources found in tut-1 namespace."');
  });

  test('kubectl get pod -o wide: IP, node, nominated node and readiness gates are free', () => {
    for (const source of ['cybozuHead', 'blog'] as const) {
      const c = shownCommand(source, 'kubectl get pod -o wide');
      const actual = render(
        ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE', 'IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
        [
          ['bastion', '1/1', 'Running', '0', '5s', '10.244.1.4', 'kind-worker2', '<none>', '<none>'],
          ['my-first-pod', '1/1', 'Running', source === 'blog' ? '1' : '0', '40s', '10.244.2.8', 'kind-worker', '<none>', '<none>'],
        ],
      );
      expectAlike(c, actual);
      expectUnlike(c, actual.replace('READINESS GATES', 'GATES          '), 'column headers differ');
    }
  });

  test('custom-columns NAME/IMAGE/PHASE during the rollout: image must match, a Pending pod may be Running by now', () => {
    const midway = shownCommand('blog', "kubectl get pod -o 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,PHASE:.status.phase'", (o) => o.includes('Pending'));
    const header = ['NAME', 'IMAGE', 'PHASE'];
    const actual = render(header, [
      ['bastion', 'debian:stretch', 'Running'],
      ['nginx-deployment-7c5ddbdf54-2xkqv', 'nginx:1.15', 'Running'],
      ['nginx-deployment-7c5ddbdf54-8bh6t', 'nginx:1.15', 'Running'],
      ['nginx-deployment-7c5ddbdf54-lx9wq', 'nginx:1.15', 'Running'],
      ['nginx-deployment-86dcfdf4c6-zq4wn', 'nginx:1.16', 'Running'],
    ]);
    const r = expectAlike(midway, actual);
    expect(r.inPassing).toEqual(['Pending', 'rollout nginx-deployment-*: nginx:1.15 -> nginx:1.16']);
    // Behind the text: the rollout not begun.
    expectUnlike(midway, actual.replace('nginx:1.16', 'nginx:1.15'), 'rollout nginx-deployment-*: text shows it moving from nginx:1.15 to nginx:1.16, got no row on nginx:1.16 (4 on nginx:1.15)');
    expectUnlike(midway, actual.replace(/(zq4wn\s+nginx:1\.16\s+)Running/, '$1Failed'), 'row nginx-deployment-* column PHASE: text shows Pending, got Failed');

    const done = shownCommand('blog', "kubectl get pod -o 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,PHASE:.status.phase'", (o) => !o.includes('1.15'));
    const after = render(header, [
      ['bastion', 'debian:stretch', 'Running'],
      ['nginx-deployment-86dcfdf4c6-2kfpl', 'nginx:1.16', 'Running'],
      ['nginx-deployment-86dcfdf4c6-v7vgd', 'nginx:1.16', 'Running'],
      ['nginx-deployment-86dcfdf4c6-zq4wn', 'nginx:1.16', 'Running'],
    ]);
    expectAlike(done, after);
    // An old pod on its way out is let pass; one still Running is not.
    const leaving = `${after}\nnginx-deployment-7c5ddbdf54-2xkqv   nginx:1.15       Terminating`;
    expect(compareAlike(done, leaving).notes).toContainEqual(expect.stringContaining('Terminating in the run'));
    expectAlike(done, leaving);
    expectUnlike(done, leaving.replace('Terminating', 'Running'), 'the text shows 4 rows, got 5: extra row nginx-deployment-7c5ddbdf54-2xkqv');
    // A stand-in image, named by the caller.
    expectAlike(done, after.replace(/debian:stretch/, 'tutorial/bastion:1'), { names: new Map([['debian:stretch', 'tutorial/bastion:1']]) });
  });

  test('a rollout shown in passing (blog article.md:447, 455, 466): the run may have it further on or finished; images and other rows still matter', () => {
    const text = "kubectl get pod -o 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,PHASE:.status.phase'";
    const shownOutputs = commandsOf('blog').filter((c) => c.text === text && c.output.some((l) => l.includes('nginx:1.16')));
    expect(shownOutputs.map((c) => c.source.line)).toEqual([447, 455, 466]);
    const [started, halfway, done] = shownOutputs as [Command, Command, Command];
    const header = ['NAME', 'IMAGE', 'PHASE'];
    const finished = render(header, [
      ['bastion', 'debian:stretch', 'Running'],
      ['nginx-deployment-86dcfdf4c6-2kfpl', 'nginx:1.16', 'Running'],
      ['nginx-deployment-86dcfdf4c6-v7vgd', 'nginx:1.16', 'Running'],
      ['nginx-deployment-86dcfdf4c6-zq4wn', 'nginx:1.16', 'Running'],
    ]);
    for (const c of shownOutputs) {
      // (a) The rollout finished: alike, in passing while the text shows it under way.
      const r = expectAlike(c, finished);
      if (c === done) {
        expect(r.inPassing).toEqual([]);
      } else {
        expect(r.inPassing).toContain('rollout nginx-deployment-*: nginx:1.15 -> nginx:1.16');
        expect(r.notes).toContainEqual(expect.stringContaining('rollout nginx-deployment-*: nginx:1.15 -> nginx:1.16: the text shows a rollout under way'));
      }
      // (b) Rows on an image the text never shows.
      expectUnlike(c, finished.replace(/nginx:1\.16/g, 'nginx:1.17'), 'row nginx-deployment-* column IMAGE: text shows', 'got nginx:1.17');
      expectUnlike(c, finished.replace(/(v7vgd\s+)nginx:1\.16/, '$1nginx:1.17'), 'got nginx:1.17 (in nginx-deployment-86dcfdf4c6-v7vgd)');
      // (c) A row of another name missing.
      expectUnlike(c, finished.split('\n').filter((l) => !l.startsWith('bastion')).join('\n'), 'no row like bastion');
      expectUnlike(c, finished.replace('debian:stretch', 'debian:bookworm'), 'row bastion column IMAGE: text shows debian:stretch, got debian:bookworm');
    }
    expect(compareAlike(started, finished).inPassing).toEqual(['Pending', 'rollout nginx-deployment-*: nginx:1.15 -> nginx:1.16']);
    // A run a moment later has the rollout further on: alike; one behind the text is not.
    expectAlike(started, halfway.output.join('\n'));
    expectAlike(started, plausible(halfway, parseShown(halfway)));
    expectUnlike(halfway, started.output.join('\n'), 'row nginx-deployment-* column PHASE: text shows Running, got Pending');
    // Midway, the row count is free; once the text shows one image, it is not.
    const fourNew = `${finished}\nnginx-deployment-86dcfdf4c6-x9b2q   nginx:1.16       Running`;
    expectAlike(halfway, fourNew);
    expectUnlike(done, fourNew, 'the text shows 4 rows, got 5: extra row nginx-deployment-86dcfdf4c6-x9b2q');
    expectUnlike(done, halfway.output.join('\n'), 'the text shows 4 rows, got 7: extra row nginx-deployment-77bc96745b-9tdr2');
    // No row of the Deployment at all.
    expectUnlike(halfway, finished.split('\n').slice(0, 2).join('\n'), 'rollout nginx-deployment-*: text shows rows on nginx:1.15 and nginx:1.16, got no row like nginx-deployment-*');
    // An old pod on its way out is let pass.
    expectAlike(halfway, `${finished}\nnginx-deployment-77bc96745b-9tdr2   nginx:1.15       Terminating`);
  });

  test('a rollout between images the text does not order: rows on any of them are alike', () => {
    const c = cmd("kubectl get pod -o 'custom-columns=NAME:.metadata.name,IMAGE:.spec.containers[*].image,PHASE:.status.phase'", [
      'NAME                   IMAGE          PHASE',
      'web-7c5ddbdf54-2xkqv   httpd:latest   Running',
      'web-86dcfdf4c6-zq4wn   nginx:latest   Running',
    ]);
    const run = 'NAME                   IMAGE          PHASE\nweb-86dcfdf4c6-zq4wn   nginx:latest   Running';
    const r = expectAlike(c, run);
    expect(r.inPassing).toEqual(['rollout web-*: httpd:latest / nginx:latest']);
    expect(r.notes).toContainEqual(expect.stringContaining('the text does not tell which image is the newer'));
    expectAlike(c, run.replace(/nginx:latest/g, 'httpd:latest'));
    expectUnlike(c, run.replace('Running', 'Failed '), 'row web-* column PHASE: text shows Running, got Failed');
  });

  test('kubectl get pod after deleting the ReplicaSet: Terminating rows may be gone', () => {
    const c = shownCommand('blog', 'kubectl get pod', (o) => o.includes('Terminating'));
    const r = expectAlike(c, 'NAME      READY   STATUS    RESTARTS   AGE\nbastion   1/1     Running   0          3m');
    expect(r.inPassing).toEqual(['Terminating']);
    expectUnlike(c, plausible(c, parseShown(c)).replace(/Terminating/g, 'Running    '), 'column STATUS: text shows Terminating, got Running');
  });

  test('kubectl get service: TYPE and PORT(S) matter (node port included), CLUSTER-IP is free, the default namespace\'s kubernetes Service may be absent', () => {
    const c = shownCommand('blog', 'kubectl get service');
    const actual = 'NAME               TYPE        CLUSTER-IP     EXTERNAL-IP   PORT(S)   AGE\nmy-first-service   ClusterIP   10.96.200.17   <none>        80/TCP    5s';
    const r = expectAlike(c, actual);
    expect(r.notes).toContainEqual(expect.stringContaining('row kubernetes'));
    expectUnlike(c, actual.replace('ClusterIP', 'NodePort '), 'row my-first-service column TYPE: text shows ClusterIP, got NodePort');
    const nodePort = shownCommand('blog', 'kubectl get service my-first-service', (o) => o.includes('NodePort'));
    const np = 'NAME               TYPE       CLUSTER-IP    EXTERNAL-IP   PORT(S)        AGE\nmy-first-service   NodePort   10.96.91.12   <none>        80:31234/TCP   2m';
    expectUnlike(nodePort, np, 'row my-first-service column PORT(S): text shows 80:30000/TCP, got 80:31234/TCP');
    expectAlike(nodePort, np, { names: new Map([['30000', '31234']]) });
  });

  test('kubectl get replicaset: DESIRED/CURRENT/READY must match', () => {
    const c = shownCommand('blog', 'kubectl get replicaset');
    expectAlike(c, 'NAME               DESIRED   CURRENT   READY   AGE\nnginx-replicaset   3         3         3       2m1s');
    expectUnlike(c, 'NAME               DESIRED   CURRENT   READY   AGE\nnginx-replicaset   3         3         2       2m1s', 'row nginx-replicaset column READY: text shows 3, got 2');
  });

  test('kubectl get poddisruptionbudget: the budget columns must match', () => {
    const c = shownCommand('blog', 'kubectl get poddisruptionbudget');
    const actual = 'NAME        MIN AVAILABLE   MAX UNAVAILABLE   ALLOWED DISRUPTIONS   AGE\nnginx-pdb   1               N/A               0                     3s';
    expectAlike(c, actual);
    expectUnlike(c, actual.replace(/0(\s+3s)/, '1$1'), 'row nginx-pdb column ALLOWED DISRUPTIONS: text shows 0, got 1');
    expectUnlike(c, actual.replace('MIN AVAILABLE', 'MIN-AVAILABLE'), 'column headers differ');
  });

  test('--watch: each state the text shows must be among the states the watch printed; RESTARTS compares as restarted or not', () => {
    const c = shownCommand('blog', 'kubectl get pods sample-healthcheck --watch');
    const watch = [
      'NAME                 READY   STATUS    RESTARTS   AGE',
      'sample-healthcheck   1/1     Running   0          25s',
      'sample-healthcheck   0/1     Running   1 (2s ago)   41s',
      'sample-healthcheck   1/1     Running   1 (10s ago)   49s',
    ].join('\n');
    expectAlike(c, watch);
    expectUnlike(
      c,
      watch.split('\n').slice(0, 2).join('\n'),
      'object sample-healthcheck: text shows state READY 0/1, STATUS Running, RESTARTS 2 (restarted), the watch never showed it; it showed READY 1/1, STATUS Running, RESTARTS 0',
    );
    expectUnlike(c, watch.replace(/1 \(10s ago\)/, '1 (10s ago)').replace(/Running(\s+1 \(10s)/, 'Error  $1'), 'RESTARTS 2 (restarted), the watch never showed it');
    expectUnlike(c, 'NAME    READY   STATUS    RESTARTS   AGE\nother   1/1     Running   0          1s', 'object sample-healthcheck: text shows it in the watch');
  });
});

describe('kubectl describe', () => {
  test('describe | grep Liveness: the probe settings must match', () => {
    const c = shownCommand('blog', 'kubectl describe pod sample-healthcheck | grep "Liveness"');
    // What the text shows is what kubectl prints for the manifest's probe: the run prints the same line.
    const line = c.output[0] ?? '';
    const value = line.replace(/^\s*Liveness:\s*/, '');
    expect(value).toMatch(/^http-get http:\/\/:80\/\S+ delay=5s timeout=1s period=3s #success=1 #failure=2$/);
    expectAlike(c, line.replace(/ {2,}/, '   '));
    expectUnlike(c, line.replace('period=3s', 'period=10s'), `field Liveness: text shows ${value}, got ${value.replace('period=3s', 'period=10s')}`);
    expectUnlike(c, '', `field Liveness: text shows ${value}, got no such field`);
    expectUnlike(c, line.replace('Liveness', 'Readiness'), 'got no such field');
  });

  const modernDescribe = [
    'Name:             my-first-pod',
    'Namespace:        tut-pod-4f2a',
    'Priority:         0',
    'Service Account:  default',
    'Node:             kind-worker/172.18.0.3',
    'Start Time:       Tue, 11 Mar 2025 09:08:07 +0000',
    'Labels:           component=nginx',
    'Annotations:      <none>',
    'Status:           Running',
    'IP:               10.244.1.5',
    'IPs:',
    '  IP:  10.244.1.5',
    'Containers:',
    '  nginx:',
    `    Container ID:   containerd://${'ab'.repeat(32)}`,
    '    Image:          nginx:latest',
    `    Image ID:       docker.io/library/nginx@sha256:${'cd'.repeat(32)}`,
    '    Port:           <none>',
    '    Host Port:      <none>',
    '    State:          Running',
    '      Started:      Tue, 11 Mar 2025 09:08:12 +0000',
    '    Ready:          True',
    '    Restart Count:  0',
    '    Environment:    <none>',
    '    Mounts:',
    '      /var/run/secrets/kubernetes.io/serviceaccount from kube-api-access-7x2kq (ro)',
    'Conditions:',
    '  Type                        Status',
    '  PodReadyToStartContainers   True',
    '  Ready                       True',
    'QoS Class:                   BestEffort',
    'Tolerations:                 node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
    '                             node.kubernetes.io/unreachable:NoExecute op=Exists for 300s',
    'Events:',
    '  Type    Reason     Age   From               Message',
    '  ----    ------     ----  ----               -------',
    '  Normal  Scheduled  12s   default-scheduler  Successfully assigned tut-pod-4f2a/my-first-pod to kind-worker',
    '  Normal  Pulled     11s   kubelet            Container image "nginx:latest" already present on machine',
    '  Normal  Created    11s   kubelet            Created container: nginx',
    '  Normal  Started    11s   kubelet            Started container nginx',
  ].join('\n');

  test('describe pod (cybozu, blog): the fields shown compare, the rest of the output is ignored; a newer kubectl is alike', () => {
    for (const source of ['cybozuHead', 'blog'] as const) {
      const c = shownCommand(source, 'kubectl describe pod my-first-pod');
      const r = expectAlike(c, modernDescribe);
      if (source === 'cybozuHead') expect(r.notes).toContainEqual(expect.stringContaining('field PriorityClassName: text shows <none>, the run\'s kubectl leaves it out'));
      expect(r.notes).toContainEqual(expect.stringContaining('already present'));
      expectUnlike(c, modernDescribe.replace(/Priority: {9}0/, 'Priority:         1000'), 'field Priority: text shows 0, got 1000');
      if (source === 'blog') expectUnlike(c, modernDescribe.replace('component=nginx', 'app=nginx'), 'field Labels: text shows component=nginx, got app=nginx');
      expectUnlike(c, modernDescribe.replace(/.*Started container.*\n?/, ''), 'event Normal Started: text shows "Started container nginx", got no such event (events Scheduled, Pulled, Created)');
      expectUnlike(c, modernDescribe.replace(/Events:[\s\S]*/, 'Events:  <none>'), 'event Normal Scheduled', 'got no such event (no events)');
    }
  });

  /** What `kubectl describe pod` printed on Kubernetes v1.36.3 (verbatim): a field path before each kubelet message, `Container created`/`Container started`. */
  const kubelet136Events = [
    'Events:',
    '  Type    Reason     Age   From               Message',
    '  ----    ------     ----  ----               -------',
    '  Normal  Scheduled  0s    default-scheduler  Successfully assigned tte-probe-events/my-first-pod to tutorial-e2e',
    '  Normal  Pulling    0s    kubelet            spec.containers{my-first-pod}: Pulling image "nginx:latest"',
    '  Normal  Pulled     0s    kubelet            spec.containers{my-first-pod}: Successfully pulled image "nginx:latest" in 25ms (25ms including waiting). Image size: 38644061 bytes.',
    '  Normal  Created    0s    kubelet            spec.containers{my-first-pod}: Container created',
    '  Normal  Started    0s    kubelet            spec.containers{my-first-pod}: Container started',
  ].join('\n');
  const kubelet136 = modernDescribe.replace(/Events:[\s\S]*/, kubelet136Events);

  test('describe pod events of kubelet 1.36 (field path, `Container created`) are alike the older wording the texts show', () => {
    for (const source of ['cybozuHead', 'cybozu2020', 'blog'] as const) {
      const c = shownCommand(source, 'kubectl describe pod my-first-pod');
      expect(parseShown(c)).toMatchObject({ kind: 'describe', events: [{ reason: 'Scheduled' }, { reason: 'Pulling' }, { reason: 'Pulled' }, { reason: 'Created' }, { reason: 'Started' }] });
      expectAlike(c, kubelet136);
      // The pull failed: Failed and BackOff in place of Pulled, Created, Started.
      const failed = kubelet136.replace(
        / {2}Normal {2}Pulled[\s\S]*/,
        [
          '  Warning  Failed     0s    kubelet            spec.containers{my-first-pod}: Failed to pull image "nginx:latest": rpc error: code = NotFound desc = failed to pull and unpack image "docker.io/library/nginx:latest": not found',
          '  Warning  Failed     0s    kubelet            spec.containers{my-first-pod}: Error: ErrImagePull',
          '  Normal   BackOff    0s    kubelet            spec.containers{my-first-pod}: Back-off pulling image "nginx:latest"',
          '  Warning  Failed     0s    kubelet            spec.containers{my-first-pod}: Error: ImagePullBackOff',
        ].join('\n'),
      );
      const got = 'got no such event (events Scheduled, Pulling, Failed, Failed, BackOff, Failed)';
      expectUnlike(c, failed, `event Normal Pulled: text shows "Successfully pulled image "nginx:latest"", ${got}`, `event Normal Created: text shows "Created container nginx", ${got}`, `event Normal Started: text shows "Started container nginx", ${got}`);
      // The container started, then crashed: BackOff in place of Started.
      expectUnlike(
        c,
        kubelet136.replace(/.*Container started/, '  Warning  BackOff    0s    kubelet            spec.containers{my-first-pod}: Back-off restarting failed container my-first-pod in pod my-first-pod_tte-probe-events'),
        'event Normal Started: text shows "Started container nginx", got no such event (events Scheduled, Pulling, Pulled, Created, BackOff)',
      );
      // Another image.
      expectUnlike(c, kubelet136.replace(/nginx:latest/g, 'nginx:1.27'), 'event Normal Pulling: text shows "Pulling image "nginx:latest"", got no such event', 'event Normal Pulled: text shows "Successfully pulled image "nginx:latest""');
      // The same words under another reason.
      expectUnlike(c, kubelet136.replace('Started    0s', 'Created    0s'), 'event Normal Started: text shows "Started container nginx", got no such event (events Scheduled, Pulling, Pulled, Created, Created)');
      expectUnlike(c, kubelet136.replace('Container started', 'Container created'), 'event Normal Started');
    }
  });

  test('kubelet 1.36 wording: init containers, stopping; a container of another name in the old wording still differs', () => {
    const events = (rows: string[]): string[] => ['Events:', '  Type    Reason   Age   From     Message', '  ----    ------   ----  ----     -------', ...rows];
    const c = cmd('kubectl describe pod web', events(['  Normal  Created  5m    kubelet, minikube  Created container init-db', '  Normal  Killing  1m    kubelet, minikube  Stopping container nginx']));
    expectAlike(c, events(['  Normal  Created  0s    kubelet  spec.initContainers{init-db}: Container created', '  Normal  Killing  0s    kubelet  spec.containers{nginx}: Stopping container']).join('\n'));
    expectAlike(c, events(['  Normal  Created  0s    kubelet  Created container: init-db', '  Normal  Killing  0s    kubelet  Stopping container nginx']).join('\n'));
    expectUnlike(c, events(['  Normal  Created  0s    kubelet  Created container: other', '  Normal  Killing  0s    kubelet  Stopping container nginx']).join('\n'), 'event Normal Created: text shows "Created container init-db"');
    expectUnlike(c, events(['  Normal  Created  0s    kubelet  spec.initContainers{init-db}: Container created', '  Normal  Started  0s    kubelet  spec.containers{nginx}: Stopping container']).join('\n'), 'event Normal Killing: text shows "Stopping container nginx"');
  });

  test('describe excerpts: container fields under their container, mounts as lines, IDs free', () => {
    const c = shownCommand('blog', 'kubectl describe pod nginx', (o) => o.includes('Mounts'));
    expectAlike(c, plausible(c, parseShown(c)));
    expectUnlike(c, plausible(c, parseShown(c)).replace('fluent/fluentd:v1.11', 'fluent/fluentd:v1.16'), 'field Containers > fluentd > Image: text shows fluent/fluentd:v1.11, got fluent/fluentd:v1.16');
    expectUnlike(c, plausible(c, parseShown(c)).replace('nginx-log (ro)', 'nginx-log (rw)'), 'field Containers > fluentd > Mounts: text shows the line "/var/log/nginx from nginx-log (ro)"');
    const limits = shownCommand('blog', 'kubectl describe pod nginx', (o) => o.includes('Limits'));
    const modern = ['Containers:', '  nginx:', '    Image:  nginx:1.16', '    Limits:', '      cpu:     500m', '      memory:  128Mi', '    Requests:', '      cpu:        250m', '      memory:     128Mi', '    Environment:  <none>'].join('\n');
    expectAlike(limits, modern);
    expectUnlike(limits, modern.replace('250m', '100m'), 'field Requests > cpu: text shows 250m, got 100m');
  });
});

describe('curl -i', () => {
  const welcome = cmd('curl -i http://my-first-service/', ['HTTP/1.1 200 OK', 'Server: nginx/1.17.0', 'Content-Type: text/html', 'Content-Length: 612', '', ...WELCOME.slice(0, 4), '...'], { where: 'pod', pod: 'bastion' });

  test('the real `curl -i` outputs: status code compared, the rest left out by the text', () => {
    for (const source of ['cybozuHead', 'blog'] as const) {
      const c = shownCommand(source, 'curl -i http://my-first-service/');
      expectAlike(c, nginxAnswer());
      expectUnlike(c, nginxAnswer('HTTP/1.1 503 Service Temporarily Unavailable'), 'HTTP status: text shows HTTP/1.1 200 OK, got HTTP/1.1 503 Service Temporarily Unavailable');
      expectUnlike(c, 'curl: (6) Could not resolve host: my-first-service', 'status line: text shows HTTP/1.1 200 OK, got no HTTP answer: "curl: (6) Could not resolve host: my-first-service"');
    }
  });

  test('the welcome page: headers present (Server without its version), page known by its title', () => {
    expect(parseShown(welcome).kind).toBe('http');
    expectAlike(welcome, nginxAnswer());
    expectUnlike(welcome, nginxAnswer().replace('Server: nginx/1.27.3', 'Server: Apache/2.4.62'), 'header Server: text shows nginx/1.17.0, got Apache/2.4.62');
    expectUnlike(welcome, nginxAnswer().replace(/Content-Type: text\/html\r\n/, ''), 'header Content-Type: text shows Content-Type: text/html, got no such header');
    expectUnlike(welcome, nginxAnswer('HTTP/1.1 200 OK', 'It works!'), 'page title: text shows <title>Welcome to nginx!</title>, got <title>It works!</title>');
    expectUnlike(welcome, nginxAnswer('HTTP/1.1 404 Not Found'), 'HTTP status: text shows HTTP/1.1 200 OK, got HTTP/1.1 404 Not Found');
    // An interim answer is skipped.
    expectAlike(welcome, `HTTP/1.1 100 Continue\r\n\r\n${nginxAnswer()}`);
  });
});

describe('kubectl logs', () => {
  test('kubectl logs -l: every shown line\'s method, path and status appear; the log may have grown', () => {
    const c = shownCommand('blog', 'kubectl logs -l component=nginx');
    const actual = plausibleLogs(c.output);
    expectAlike(c, actual);
    const noFavicon = actual
      .split('\n')
      .filter((l) => !l.includes('favicon'))
      .join('\n');
    expectUnlike(c, noFavicon, 'log line GET /favicon.ico 404', 'log line [error] open() "/usr/share/nginx/html/favicon.ico" failed (2: No such file or directory) (GET /favicon.ico)');
    expectUnlike(c, actual.replace(/"GET \/ HTTP\/1\.1" 200/g, '"GET / HTTP/1.1" 502'), 'log line GET / 200: text shows');
  });

  test('kubectl logs POD (cybozu): curl\'s version is free, two identical lines need one', () => {
    const c = shownCommand('cybozuHead', 'kubectl logs nginx-deployment-6fb8fbbfc8-9nblk');
    expectAlike(c, '10.244.0.9 - - [11/Mar/2025:09:08:07 +0000] "GET / HTTP/1.1" 200 615 "-" "curl/8.11.1" "-"');
    expectUnlike(c, '', `log line GET / 200: text shows "${c.output[0] ?? ''}", got no such line (0 lines)`);
  });
});

describe('kubectl apply/create/delete messages', () => {
  test('kind and name must match; created must be created; configured and unchanged are alike', () => {
    const created = shownCommand('blog', 'kubectl apply -f nginx-replicaset.yaml', (o) => o.endsWith('created'));
    expectAlike(created, 'replicaset.apps/nginx-replicaset created');
    expectUnlike(created, 'replicaset.apps/nginx-replicaset unchanged', 'object replicaset.apps/nginx-replicaset: text shows created, got unchanged');
    expectUnlike(created, 'deployment.apps/nginx-replicaset created', 'object replicaset.apps/nginx-replicaset: text shows "replicaset.apps/nginx-replicaset created", got no message about it', 'extra "deployment.apps/nginx-replicaset created"');
    const configured = shownCommand('blog', 'kubectl apply -f nginx-replicaset.yaml', (o) => o.endsWith('configured'));
    expect(expectAlike(configured, 'replicaset.apps/nginx-replicaset unchanged').notes).toContainEqual(expect.stringContaining('text shows configured, got unchanged'));
    expectAlike(configured, 'replicaset.apps/nginx-replicaset configured');
  });

  test('deletes, old and new wording; the blog\'s `Pod/nginx` is alike `pod/nginx`', () => {
    const del = shownCommand('blog', 'kubectl delete pod my-first-pod');
    expectAlike(del, 'pod "my-first-pod" deleted');
    expectAlike(del, 'pod "my-first-pod" deleted from tut-ns-1 namespace');
    expectUnlike(del, 'Error from server (NotFound): pods "my-first-pod" not found', 'object pod/my-first-pod: text shows "pod "my-first-pod" deleted", got no message about it');
    const capital = shownCommand('blog', 'kubectl apply -f sample-volume.yaml');
    expect(expectAlike(capital, 'pod/nginx created').notes).toContainEqual(expect.stringContaining('the text writes the kind Pod, kubectl prints pod'));
  });
});

describe('no shown output, unknown shapes', () => {
  test('a command whose text shows no output is alike anything', () => {
    const c = shownCommand('cybozuHead', 'kubectl get pod -o wide');
    const none = { ...c, output: [] };
    expect(parseShown(none)).toEqual({ kind: 'none', reason: 'no output' });
    expect(compareAlike(none, 'whatever\nit printed').alike).toBe(true);
    expect(parseShown({ ...c, output: ['（省略）'] })).toEqual({ kind: 'none', reason: 'only elided' });
  });

  test('output of no known shape compares lines with free tokens normalised', () => {
    const c = shownCommand('blog', 'minikube version');
    expectAlike(c, 'minikube version: v1.35.0\ncommit: dd5d320e41b5451cdf3c01891bc4e13d189586ed');
    expectUnlike(c, 'minikube: command not found', `line "${c.output[0] ?? ''}": text shows it`);
    const status = shownCommand('blog', 'minikube status');
    expectUnlike(status, status.output.join('\n').replace('apiserver: Running', 'apiserver: Stopped'), 'line "apiserver: Running"');
    expectUnlike(status, status.output.slice(0, 2).join('\n'), 'the text shows 6 lines, got 2');
  });
});

// ---- 3. bad input ---------------------------------------------------------------

describe('bad input', () => {
  const getPod = shownCommand('blog', 'kubectl get pod', (o) => o.includes('bastion') && o.includes('my-first-pod') && !o.includes('replicaset'));
  const samples: Command[] = [
    getPod,
    shownCommand('blog', 'kubectl describe pod my-first-pod'),
    shownCommand('blog', 'kubectl logs -l component=nginx'),
    shownCommand('blog', 'kubectl apply -f nginx-pod.yaml'),
    shownCommand('blog', 'curl -i http://my-first-service/'),
    shownCommand('blog', 'minikube status'),
    shownCommand('blog', 'kubectl get pods sample-healthcheck --watch'),
  ];

  function garbage(seed: number, n: number): string {
    let x = seed;
    let s = '';
    for (let i = 0; i < n; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      s += String.fromCharCode(x % 256);
    }
    return s;
  }

  test('empty strings everywhere', () => {
    for (const c of samples) {
      const r = compareAlike(c, '');
      expect(r.alike).toBe(false);
      expect(r.differences.length).toBeGreaterThan(0);
    }
    expect(parseShown(cmd('', []))).toEqual({ kind: 'none', reason: 'no output' });
    expect(parseShown(cmd('', ['', '  ', '']))).toEqual({ kind: 'none', reason: 'no output' });
    expect(compareAlike(cmd('', ['']), '').alike).toBe(true);
    expect(compareAlike(cmd('kubectl get pod', ['NAME   READY']), '').differences[0]?.message).toBe('the text shows a table (NAME, READY; 0 rows), got no output');
  });

  test('binary garbage, as the run\'s output and as the text\'s', () => {
    for (const [i, c] of samples.entries()) {
      const junk = garbage(i + 1, 4000);
      const r = compareAlike(c, junk);
      expect(r.alike).toBe(false);
      expect(() => formatMismatch(c, junk, r)).not.toThrow();
      const shown = { ...c, output: junk.split('\n') };
      expect(() => parseShown(shown)).not.toThrow();
      expect(compareAlike(shown, junk).alike).toBe(true);
      expect(typeof compareAlike(shown, c.output.join('\n')).alike).toBe('boolean');
    }
  });

  test('a 10,000-line output is compared in bounded time', () => {
    const rows = Array.from({ length: 10_000 }, (_, i) => [`nginx-replicaset-${gen(i, 5)}`, '1/1', 'Running', '0', `${i}s`]);
    const big = render(['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'], [['bastion', '1/1', 'Running', '0', '1s'], ['my-first-pod', '1/1', 'Running', '1', '1s'], ...rows]);
    const t0 = Date.now();
    expectUnlike(getPod, big, 'the text shows 2 rows, got 10002: extra row nginx-replicaset-');
    const rsPods = shownCommand('blog', 'kubectl get pod', (o) => o.includes('nginx-replicaset-5swkc') && !o.includes('Terminating'));
    expect(compareAlike(rsPods, big).alike).toBe(false);
    const logs = shownCommand('blog', 'kubectl logs -l component=nginx');
    const grown = `${Array.from({ length: 10_000 }, (_, i) => `10.244.0.1 - - [11/Mar/2025:09:08:07 +0000] "GET /x${i} HTTP/1.1" 404 153 "-" "curl/8.11.1" "-"`).join('\n')}\n${plausibleLogs(logs.output)}`;
    expectAlike(logs, grown);
    for (const c of samples) expect(typeof compareAlike(c, grown).alike).toBe('boolean');
    expect(typeof compareAlike(samples[1] ?? getPod, big).alike).toBe('boolean');
    expect(formatMismatch(getPod, big, compareAlike(getPod, big)).split('\n').length).toBeLessThan(100);
    // About 2 s alone, 10 s under CI's load (unit tests in parallel beside a
    // cluster on 2 cores); a comparison quadratic in the lines would take minutes.
    expect(Date.now() - t0).toBeLessThan(30_000);
  });

  test('header-only tables', () => {
    const empty = cmd('kubectl get pod', ['NAME   READY   STATUS   RESTARTS   AGE']);
    expect(parseShown(empty)).toMatchObject({ kind: 'table', rows: [] });
    expectAlike(empty, 'NAME   READY   STATUS   RESTARTS   AGE');
    expectUnlike(empty, getPod.output.join('\n'), 'the text shows 0 rows, got 2: extra row bastion');
    expectUnlike(getPod, 'NAME   READY   STATUS   RESTARTS   AGE', 'the text shows 2 rows, got 0: no row like bastion');
  });

  test('ragged rows are placed by column position', () => {
    const ragged = cmd('kubectl get pod', ['NAME      READY   STATUS    RESTARTS   AGE', 'bastion   1/1     Running   0', 'web-1     1/1 Running 0 3s']);
    const shown = parseShown(ragged);
    expect(shown).toMatchObject({ kind: 'table', rows: [['bastion', '1/1', 'Running', '0', ''], ['web-1', '1/1', 'Running', '0', '3s']], ragged: [1, 2] });
    expectAlike(ragged, 'NAME      READY   STATUS    RESTARTS   AGE\nbastion   1/1     Running   0          5s\nweb-1     1/1     Running   0          3s');
    const r = compareAlike(getPod, 'NAME           READY   STATUS    RESTARTS   AGE\nbastion        1/1     Running\nmy-first-pod   1/1     Running   1          10h');
    expect(messages(r)).toContain('row bastion column RESTARTS: text shows 0, got (nothing)');
  });

  test('Windows line endings and ANSI colours in the run\'s output', () => {
    const plain = 'NAME           READY   STATUS    RESTARTS   AGE\nbastion        1/1     Running   0          14s\nmy-first-pod   1/1     Running   1          10h';
    expectAlike(getPod, plain.replace(/\n/g, '\r\n'));
    expectAlike(getPod, plain.replace(/Running/g, '\x1b[32mRunning\x1b[0m').replace('NAME', '\x1b[1mNAME\x1b[22m'));
    expectAlike(getPod, `${plain}\r\n\r\n`);
    expectAlike(getPod, plain.replace(/ {3}/g, '\t'));
    expectAlike(shownCommand('blog', 'kubectl apply -f nginx-pod.yaml'), '\x1b[0;32mpod/my-first-pod created\x1b[0m\r\n');
    const r = compareAlike(getPod, plain.replace('\n', '\u0000\n'));
    expect(r.alike).toBe(true);
    // The text's own output with CRs (a file saved on Windows) reads the same.
    const crText = { ...getPod, output: getPod.output.map((l) => `${l}\r`) };
    expect(parseShown(crText)).toEqual(parseShown(getPod));
    expectAlike(crText, plain);
  });

  test('a mismatch message names the source line, the command, both outputs and each difference', () => {
    const c = shownCommand('blog', 'kubectl get replicaset');
    const actual = 'NAME               DESIRED   CURRENT   READY   AGE\nnginx-replicaset   3         3         1       2s';
    const text = formatMismatch(c, actual, compareAlike(c, actual));
    expect(text).toContain(`${c.source.file}:${c.source.line}: \`kubectl get replicaset\` printed output unlike what the text shows (table):`);
    expect(text).toContain('  - row nginx-replicaset column READY: text shows 3, got 1');
    expect(text).toContain('the text shows (after');
    expect(text).toContain(`    | ${c.output[1] ?? ''}`);
    expect(text).toContain('the run printed:\n    | NAME               DESIRED');
    const inPod = cmd('curl -i http://x/', ['HTTP/1.1 200 OK'], { where: 'pod', pod: 'bastion' });
    expect(formatMismatch(inPod, '', compareAlike(inPod, ''))).toContain('`curl -i http://x/` (in pod bastion)');
  });
});
