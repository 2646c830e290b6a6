import { deploymentRolloutStatus, rolloutBounds, scaledValue } from './rollout.js';
import type { Deployment } from './state.js';

function dep(p: { generation?: number; observed?: number; replicas?: number; status?: Record<string, number>; progressing?: string }): Deployment {
  return {
    metadata: { name: 'web', generation: p.generation ?? 2 },
    spec: { replicas: p.replicas ?? 3, selector: {}, template: {} },
    status: {
      observedGeneration: p.observed ?? 2,
      ...p.status,
      conditions: p.progressing ? [{ type: 'Progressing', status: 'False', reason: p.progressing }] : [],
    },
  };
}

describe('deploymentRolloutStatus (kubectl rollout status)', () => {
  test('spec change not observed yet', () => {
    expect(deploymentRolloutStatus(dep({ generation: 3, observed: 2 }))).toEqual({
      done: false,
      message: 'Waiting for deployment spec update to be observed...',
    });
  });

  test('new replicas still being created', () => {
    const s = deploymentRolloutStatus(dep({ status: { replicas: 4, updatedReplicas: 1, availableReplicas: 3 } }));
    expect(s).toEqual({ done: false, message: 'Waiting for deployment "web" rollout to finish: 1 out of 3 new replicas have been updated...' });
  });

  test('old replicas pending termination', () => {
    const s = deploymentRolloutStatus(dep({ status: { replicas: 4, updatedReplicas: 3, availableReplicas: 3 } }));
    expect(s.message).toBe('Waiting for deployment "web" rollout to finish: 1 old replicas are pending termination...');
    expect(s.done).toBe(false);
  });

  test('updated replicas not yet available', () => {
    const s = deploymentRolloutStatus(dep({ status: { replicas: 3, updatedReplicas: 3, availableReplicas: 2 } }));
    expect(s.message).toBe('Waiting for deployment "web" rollout to finish: 2 of 3 updated replicas are available...');
  });

  test('done', () => {
    expect(deploymentRolloutStatus(dep({ status: { replicas: 3, updatedReplicas: 3, availableReplicas: 3, readyReplicas: 3 } }))).toEqual({
      done: true,
      message: 'deployment "web" successfully rolled out',
    });
  });

  test('scaled to zero is done at once', () => {
    expect(deploymentRolloutStatus(dep({ replicas: 0, status: {} })).done).toBe(true);
  });

  test('progress deadline exceeded is a failure', () => {
    const s = deploymentRolloutStatus(dep({ progressing: 'ProgressDeadlineExceeded', status: { replicas: 3, updatedReplicas: 1 } }));
    expect(s.failed).toBe('deployment "web" exceeded its progress deadline');
    expect(s.done).toBe(false);
  });
});

describe('rolloutBounds', () => {
  test('defaults: 25% surge (rounded up), 25% unavailable (rounded down)', () => {
    expect(rolloutBounds(4, undefined)).toEqual({ replicas: 4, minAvailable: 3, maxTotal: 5, maxSurge: 1, maxUnavailable: 1 });
    expect(rolloutBounds(3, { type: 'RollingUpdate' })).toEqual({ replicas: 3, minAvailable: 3, maxTotal: 4, maxSurge: 1, maxUnavailable: 0 });
  });

  test('explicit numbers and percents', () => {
    expect(rolloutBounds(10, { type: 'RollingUpdate', rollingUpdate: { maxSurge: '50%', maxUnavailable: 2 } })).toMatchObject({
      minAvailable: 8,
      maxTotal: 15,
    });
  });

  test('both zero: maxUnavailable becomes 1', () => {
    expect(rolloutBounds(2, { type: 'RollingUpdate', rollingUpdate: { maxSurge: 0, maxUnavailable: 0 } })).toMatchObject({
      maxUnavailable: 1,
      minAvailable: 1,
      maxTotal: 2,
    });
  });

  test('Recreate lets every pod go', () => {
    expect(rolloutBounds(3, { type: 'Recreate' })).toMatchObject({ minAvailable: 0, maxTotal: 3 });
  });

  test('scaledValue rejects garbage', () => {
    expect(scaledValue('30%', 3, true, '25%')).toBe(1);
    expect(scaledValue('30%', 3, false, '25%')).toBe(0);
    expect(() => scaledValue('lots', 3, true, '25%')).toThrow(/invalid int-or-percent/);
  });
});
