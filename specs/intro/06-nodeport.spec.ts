// Part 1, "Expose a Service outside the cluster": the text rewrites the
// Service file as type NodePort with nodePort 30000 and applies it; the
// Service keeps its ClusterIP and answers on port 30000 of the node, from
// outside the cluster. On minikube (the walkthrough's cluster) the node is
// `minikube ip`, and `minikube service --url` prints where the Service answers.
import { runsMinikube } from '../../helpers/providers/minikube.js';
import { nodePortAnswers, serviceUrlAnswers, withNodePort } from '../../helpers/suite/node-port.js';
import { verifySection } from '../../helpers/suite/section.js';

verifySection('nodeport', (s) => {
  const service = s.ns.service(s.the.before.name);
  const nodePort = s.the.after.object.spec?.ports?.[0]?.nodePort;
  const shown = String(nodePort ?? '(none)');

  test(`Service ${service.name} is created in front of the Deployment with a ClusterIP`, async () => {
    const d = s.the.deployment;
    if (d === undefined) throw new Error(`no Deployment in ${s.tutorial.name} to put behind the Service`);
    await s.context('deployment', `Deployment ${d.name}`, () => s.ns.apply([d]).then(() => s.ns.deployment(d.name).rolledOut()));
    await s.ns.apply([s.the.before]);
    const svc = await service.read();
    expect(svc.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(svc.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  test(`the rewritten file makes it type NodePort ${shown}, ClusterIP unchanged`, async () => {
    if (nodePort === undefined) throw new Error(`${s.the.after.source.file}:${s.the.after.source.line}: the NodePort Service names no nodePort`);
    const before = await service.read();
    // A nodePort is cluster-wide: wait until no other run or source holds it.
    await withNodePort(s.ns, nodePort, () => s.ns.apply([s.the.after]));
    const after = await service.read();
    expect(after.spec?.type).toBe('NodePort');
    expect(after.spec?.ports?.[0]?.nodePort).toBe(nodePort);
    expect(after.spec?.clusterIP).toBe(before.spec?.clusterIP);
  });

  test(`port ${shown} of the node answers from outside the cluster with the welcome page`, async () => {
    if (nodePort === undefined) throw new Error('no nodePort (see the test before)');
    const answer = await nodePortAnswers(s.ns, nodePort);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Welcome to nginx!');
  });

  // Declared on minikube runs only: the provider run-suite chose (as the reader's minikube commands).
  if (process.env.TUTORIAL_E2E_PROVIDER === 'minikube') {
    test(`minikube service ${service.name} --url prints minikube ip and port ${shown}, which answers with the welcome page`, async () => {
      const provider = s.ns.provider;
      if (!runsMinikube(provider)) throw new Error(`TUTORIAL_E2E_PROVIDER=minikube, but the run's provider is ${provider.name}`);
      const { host } = await provider.nodeAccess(nodePort ?? 0);
      const urls = await provider.serviceUrls(s.ns.name, service.name);
      expect(urls).toEqual([`http://${host}:${shown}`]);
      const answer = await serviceUrlAnswers(urls[0] ?? '');
      expect(answer.status).toBe(200);
      expect(answer.body).toContain('Welcome to nginx!');
    });
  }
});
