// Part 1, "Expose a Service outside the cluster": the text rewrites the
// Service file as type NodePort with nodePort 30000 and applies it; the
// Service keeps its ClusterIP and answers on port 30000 of the node, from
// outside the cluster.
import { rolloutComplete } from '../../helpers/kube/index.js';
import { verifySection } from '../../helpers/suite/section.js';
import { nodePortAnswers, withNodePort } from '../../helpers/suite/steps.js';
import { nodePortSection } from '../../helpers/suite/tutorial-sections.js';

type Json = Record<string, unknown>;

verifySection({ id: 'nodeport', title: 'Expose a Service with NodePort', locate: nodePortSection }, (s) => {
  const service = s.the.before.objects[0]!.metadata.name;
  const port = ((s.the.after.objects[0]!.spec as Json).ports as Json[])[0]!;
  const nodePort = Number(port.nodePort);

  test(`Service ${service} is created in front of the Deployment with a ClusterIP`, async () => {
    if (s.the.deployment === undefined) throw new Error('no Deployment in this source to put behind the Service');
    const deployment = s.the.deployment.objects[0]!.metadata.name;
    await s.ns.apply([s.the.deployment, s.the.before]);
    await rolloutComplete(s.ns.kube, s.ns.name, deployment);
    const svc = await s.ns.kube.core.readNamespacedService({ name: service, namespace: s.ns.name });
    expect(svc.spec?.type ?? 'ClusterIP').toBe('ClusterIP');
    expect(svc.spec?.clusterIP).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  });

  test(`the rewritten file makes it type NodePort ${nodePort}, ClusterIP unchanged`, async () => {
    const before = await s.ns.kube.core.readNamespacedService({ name: service, namespace: s.ns.name });
    // A nodePort is cluster-wide: wait until no other run or source holds it.
    await withNodePort(s.ns, nodePort, () => s.ns.apply([s.the.after]));
    const after = await s.ns.kube.core.readNamespacedService({ name: service, namespace: s.ns.name });
    expect(after.spec?.type).toBe('NodePort');
    expect(after.spec?.ports?.[0]?.nodePort).toBe(nodePort);
    expect(after.spec?.clusterIP).toBe(before.spec?.clusterIP);
  });

  test(`port ${nodePort} of the node answers from outside the cluster with the welcome page`, async () => {
    const answer = await nodePortAnswers(s.ns, nodePort);
    expect(answer.status).toBe(200);
    expect(answer.body).toContain('Welcome to nginx!');
  });
});
