import { readTutorial } from '../tutorial/index.js';
import { findCommands } from '../tutorial/query.js';
import { sources } from '../tutorial/test-paths.js';
import { whyNotRun } from './accounting.js';
import { filesNamedBy, savedFileAt } from './reader-files.js';

describe("the reader's files and commands", () => {
  const blog = readTutorial(sources.blog);
  const at = (line: number) => {
    const c = findCommands(blog).find(({ command }) => command.source.line === line)?.command;
    if (c === undefined) throw new Error(`no command at article.md:${line}`);
    return c;
  };

  test('-f names the files, in every spelling kubectl takes', () => {
    expect(filesNamedBy(['kubectl', 'apply', '-f', 'a.yaml'])).toEqual(['a.yaml']);
    expect(filesNamedBy(['kubectl', 'apply', '--filename=b.yaml', '-fc.yaml'])).toEqual(['b.yaml', 'c.yaml']);
    expect(filesNamedBy(['kubectl', 'get', 'pod'])).toEqual([]);
  });

  test('a file is the newest manifest saved under its name before the command, with the edits asked for before it', () => {
    // nginx-replicaset.yaml: applied first as written (replicas 3), then after the text asks for replicas 4.
    const first = savedFileAt(blog, 'nginx-replicaset.yaml', at(299));
    const second = savedFileAt(blog, 'nginx-replicaset.yaml', at(341));
    expect(first?.edits).toEqual([]);
    expect(first?.text).toContain('replicas: 3');
    expect(second?.edits.map((e) => e.change)).toEqual(['set-replicas']);
    expect(second?.text).toMatch(/replicas: 4/);
    // nginx-service.yaml: the NodePort rewrite replaces the ClusterIP Service's file.
    expect(savedFileAt(blog, 'nginx-service.yaml', at(233))?.text).not.toContain('NodePort');
    expect(savedFileAt(blog, 'nginx-service.yaml', at(517))?.text).toContain('NodePort');
    // The image change of the rolling update.
    expect(savedFileAt(blog, 'nginx-deployment.yaml', at(418))?.text).toContain('nginx:1.15');
    expect(savedFileAt(blog, 'nginx-deployment.yaml', at(440))?.text).toContain('nginx:1.16');
    // No such file before the command.
    expect(savedFileAt(blog, 'frontend-pdb.yaml', at(109))).toBeUndefined();
  });

  test('what cannot be typed here, and why', () => {
    expect(whyNotRun(at(136))).toMatch(/interactive shell/);
    expect(whyNotRun(at(57))).toMatch(/minikube/);
    expect(whyNotRun(at(54))).toMatch(/not a kubectl command \(brew\)/);
    expect(whyNotRun(at(109))).toBeUndefined();
    expect(whyNotRun(at(143))).toBeUndefined();
  });
});
