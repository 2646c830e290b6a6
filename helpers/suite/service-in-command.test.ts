import { curledService, podOfExec } from './service-in-command.js';

describe('a Service the text curls, and the pod it curls from', () => {
  const services = ['my-first-service', 'web'];
  test('the URL host among the namespace\'s Services', () => {
    expect(curledService('curl -i http://my-first-service/', services)).toBe('my-first-service');
    expect(curledService("kubectl exec 'bastion' -- sh -c 'curl -i http://my-first-service/'", services)).toBe('my-first-service');
    expect(curledService('curl http://web.default.svc.cluster.local:80/index.html', services)).toBe('web');
    expect(curledService('curl http://10.0.0.5/', services)).toBeUndefined();
    expect(curledService('curl http://other/', services)).toBeUndefined();
    expect(curledService('kubectl get service web', services)).toBeUndefined();
  });

  test('kubectl exec with its flags, quotes and pod/ prefix', () => {
    expect(podOfExec('kubectl exec -it bastion -- curl http://web/')).toBe('bastion');
    expect(podOfExec("kubectl exec 'bastion' -- sh -c 'curl -i http://my-first-service/'")).toBe('bastion');
    expect(podOfExec('kubectl exec -n demo -c app pod/client -- curl http://web/')).toBe('client');
    expect(podOfExec('kubectl get pods')).toBeUndefined();
  });
});
