// Part 2, "Volume": two containers of one Pod share an emptyDir: nginx writes
// its access log into it, a log collector sidecar reads it through a
// read-only mount. The course's sidecar image is a placeholder (a known
// issue); the blog walkthrough's fluentd image is run (a local stand-in).
import { sampleAsWritten } from '../../helpers/suite/sample.js';
import { verifySection } from '../../helpers/suite/section.js';
import { sharedVolumeOf } from '../../helpers/suite/tutorial-sections.js';

verifySection('volume', (s) => {
  const pod = s.ns.pod(s.the.pod.name);
  const containers = s.the.pod.object.spec?.containers ?? [];
  const sample = sampleAsWritten(s, s.the.pod);

  test(`both containers (${containers.map((c) => c.name).join(', ')}) run as written`, async () => {
    await sample.run();
    if (sample.runnable) expect((await pod.read()).status?.containerStatuses?.map((c) => c.ready)).toEqual(containers.map(() => true));
  });

  test('a request to the writer shows up in the access log the sidecar reads from the shared volume', async () => {
    if (sample.cannotVerify('the shared volume')) return;
    const { writer, reader } = sharedVolumeOf(s.the.pod);
    const marker = `/volume-check-${Date.now()}`;
    expect((await pod.statusOf(`http://localhost${marker}`, { container: writer.container })).code).toBe(404);
    const log = await pod.exec(['cat', `${reader.path}/access.log`], { container: reader.container });
    if (log.exitCode !== 0 || !log.stdout.includes(`GET ${marker} HTTP/1.1`)) {
      throw new Error(
        `${reader.container} does not see the request in ${reader.path}/access.log of the shared volume ` +
          `(${log.exitCode !== 0 ? log.stderr.trim() : 'the request is not in it'}): ${writer.container} does not write its access log into the volume`,
      );
    }
    // It is a real file in the volume: the image's symlink to stdout is hidden by the mount.
    expect((await pod.exec(['test', '-f', `${writer.path}/access.log`], { container: writer.container })).exitCode).toBe(0);
  });

  test("the sidecar's mount is read-only: it cannot write into the volume", async () => {
    if (sample.cannotVerify('the read-only mount')) return;
    const { reader } = sharedVolumeOf(s.the.pod);
    const w = await pod.exec(['touch', `${reader.path}/written-by-sidecar`], { container: reader.container });
    expect(w.exitCode).not.toBe(0);
    expect(w.stderr).toMatch(/Read-only file system/);
  });
});
