import { WaitTimeoutError, withCallSite } from './watch.js';

describe('withCallSite', () => {
  test('keeps the message and the caller frames outside helpers/kube', () => {
    const site = new Error();
    site.stack = [
      'Error',
      '    at waitFor (/repo/helpers/kube/watch.ts:300:20)',
      '    at podReady (/repo/helpers/kube/waits.ts:40:10)',
      '    at Object.<anonymous> (/repo/specs/pod.spec.ts:12:5)',
    ].join('\n');
    const err = withCallSite(new WaitTimeoutError('pod x to be Ready', 1000, 'pod x: phase=Pending', undefined, undefined), site);
    expect(err.stack).toBe(
      'WaitTimeoutError: timed out after 1s waiting for pod x to be Ready\n  last seen: pod x: phase=Pending\n    at Object.<anonymous> (/repo/specs/pod.spec.ts:12:5)',
    );
  });
});
