// Part 2, "Volume": two containers of one Pod share an emptyDir: nginx writes
// its access log into it, a log collector sidecar reads it through a
// read-only mount. The course's sidecar image is a placeholder (a known
// issue); the blog walkthrough's fluentd image is run (a local stand-in).
import { execInPod } from '../../helpers/kube/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { sampleAsWritten } from '../../helpers/suite/steps.js';
import { volumeSection, type Json } from '../../helpers/suite/tutorial-sections.js';

verifySection({ id: 'volume', title: 'Volume: an emptyDir shared with a sidecar', locate: volumeSection }, (s) => {
  const pod = s.the.pod.objects[0]!;
  const name = pod.metadata.name;
  const containers = ((pod.spec as Json).containers as Json[]) ?? [];
  const mounts = (c: Json): Json[] => (c.volumeMounts as Json[] | undefined) ?? [];
  const volume = (((pod.spec as Json).volumes as Json[]) ?? []).find((v) => v.emptyDir !== undefined)!.name as string;
  const mountOf = (c: Json): Json | undefined => mounts(c).find((m) => m.name === volume);
  const writer = containers.find((c) => mountOf(c) !== undefined && mountOf(c)!.readOnly !== true)!;
  const reader = containers.find((c) => mountOf(c)?.readOnly === true)!;
  const writerPath = mountOf(writer)!.mountPath as string;
  const readerPath = mountOf(reader)!.mountPath as string;
  const sample = sampleAsWritten(s, s.the.pod, name);

  test('both containers run as written', async () => {
    await sample.run();
    if (sample.runnable) {
      const p = await s.ns.kube.core.readNamespacedPod({ name, namespace: s.ns.name });
      expect(p.status?.containerStatuses?.map((c) => c.ready)).toEqual(containers.map(() => true));
    }
  });

  test(`a request to ${writer.name} shows up in the access log ${reader.name} reads from the shared volume`, async () => {
    if (!sample.runnable) return sample.unverifiable('sharing is');
    const marker = `/volume-check-${Date.now()}`;
    const r = await execInPod(s.ns.kube, s.ns.name, name, ['curl', '-s', '-o', '/dev/null', '-w', '%{http_code}', `http://localhost${marker}`], {
      container: writer.name as string,
    });
    expect(r.stdout).toBe('404');
    const log = await execInPod(s.ns.kube, s.ns.name, name, ['cat', `${readerPath}/access.log`], { container: reader.name as string });
    if (log.exitCode !== 0 || !log.stdout.includes(`GET ${marker} HTTP/1.1`)) {
      throw new Error(
        `${reader.name} does not see the request in ${readerPath}/access.log of the shared volume ` +
          `(${log.exitCode !== 0 ? log.stderr.trim() : 'the request is not in it'}): ${writer.name} does not write its access log into the volume`,
      );
    }
    // It is a real file in the volume: the image's symlink to stdout is hidden by the mount.
    const inWriter = await execInPod(s.ns.kube, s.ns.name, name, ['test', '-f', `${writerPath}/access.log`], { container: writer.name as string });
    expect(inWriter.exitCode).toBe(0);
  });

  test(`${reader.name}'s mount is read-only: it cannot write into the volume`, async () => {
    if (!sample.runnable) return sample.unverifiable('sharing is');
    const w = await execInPod(s.ns.kube, s.ns.name, name, ['touch', `${readerPath}/written-by-sidecar`], { container: reader.name as string });
    expect(w.exitCode).not.toBe(0);
    expect(w.stderr).toMatch(/Read-only file system/);
  });
});
