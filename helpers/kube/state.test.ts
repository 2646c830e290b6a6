import { endpointAddresses, formatContainerStatus, formatDeploymentState, formatEndpoints, formatPodState, type Pod } from './state.js';
import { formatTimeout } from './watch.js';

const crashing: Pod = {
  metadata: { name: 'web', namespace: 'tte-x' },
  spec: { nodeName: 'node1', containers: [] },
  status: {
    phase: 'Running',
    conditions: [
      { type: 'PodScheduled', status: 'True' },
      { type: 'Ready', status: 'False', reason: 'ContainersNotReady', message: 'containers with unready status: [app]' },
    ],
    containerStatuses: [
      {
        name: 'app',
        image: 'x',
        imageID: '',
        ready: false,
        restartCount: 4,
        state: { waiting: { reason: 'CrashLoopBackOff', message: 'back-off 40s restarting failed container=app' } },
        lastState: { terminated: { exitCode: 1, reason: 'Error' } },
      },
    ],
  },
};

describe('"last seen" formatting', () => {
  test('a crash-looping pod: phase, conditions with reasons, container state, restarts, last state', () => {
    expect(formatPodState(crashing)).toBe(
      'pod web: phase=Running, node=node1; conditions: PodScheduled=True, Ready=False (ContainersNotReady "containers with unready status: [app]"); ' +
        'containers: app: waiting (CrashLoopBackOff: "back-off 40s restarting failed container=app"), restarts=4, last terminated: Error exit 1',
    );
  });

  test('a pending pod without status details', () => {
    expect(formatPodState({ metadata: { name: 'p' }, status: { phase: 'Pending' } })).toBe('pod p: phase=Pending');
  });

  test('running, terminated and init containers', () => {
    expect(
      formatContainerStatus({ name: 'c', image: '', imageID: '', ready: true, restartCount: 0, state: { running: { startedAt: 'x' } } }),
    ).toBe('c: running, ready, restarts=0');
    expect(
      formatContainerStatus({
        name: 'c',
        image: '',
        imageID: '',
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode: 137, reason: 'OOMKilled' } },
      }),
    ).toBe('c: terminated (OOMKilled, exit 137), restarts=0');
    const init = formatPodState({
      metadata: { name: 'p' },
      status: {
        phase: 'Pending',
        initContainerStatuses: [{ name: 'setup', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'PodInitializing' } } }],
      },
    });
    expect(init).toContain('init:setup: waiting (PodInitializing)');
  });

  test('a deployment', () => {
    expect(
      formatDeploymentState({
        metadata: { name: 'web', generation: 3 },
        spec: { replicas: 3, selector: {}, template: {} },
        status: { observedGeneration: 2, replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3 },
      }),
    ).toBe('deployment web: generation=3 observed=2; replicas: desired=3 current=3 updated=1 ready=3 available=3 unavailable=0');
  });

  test('the timeout message', () => {
    expect(formatTimeout('pod tte-x/web to be Ready', 90_000, formatPodState(crashing), new Date('2025-01-01T10:00:03.250Z'), undefined)).toBe(
      `timed out after 1m30s waiting for pod tte-x/web to be Ready\n  last seen (at 10:00:03.250): ${formatPodState(crashing)}`,
    );
    expect(formatTimeout('x', 500, 'nothing', undefined, 'list /api/v1/pods: connection refused')).toBe(
      'timed out after 500ms waiting for x\n  last seen: nothing\n  last API problem: list /api/v1/pods: connection refused',
    );
  });
});

describe('endpoints', () => {
  const slices = [
    {
      addressType: 'IPv4',
      metadata: { name: 's1' },
      endpoints: [
        { addresses: ['10.0.0.2'], conditions: { ready: true } },
        { addresses: ['10.0.0.1'] }, // ready unknown: read as ready
        { addresses: ['10.0.0.3'], conditions: { ready: false } },
      ],
      ports: [{ name: 'http', port: 80, protocol: 'TCP' }],
    },
  ];

  test('ready and not-ready addresses, sorted', () => {
    expect(endpointAddresses(slices)).toEqual({ ready: ['10.0.0.1', '10.0.0.2'], notReady: ['10.0.0.3'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }] });
    expect(formatEndpoints(slices)).toBe('1 EndpointSlice(s): ready=[10.0.0.1, 10.0.0.2] notReady=[10.0.0.3] ports=[http:80/TCP]');
    expect(formatEndpoints([])).toBe('no EndpointSlices');
  });
});
