import { formatDiagnosticsSummary, formatEvent, sortEvents, type Event } from './diagnostics-format.js';
import type { Pod } from './state.js';

const ev = (name: string, t: string, type: string, reason: string, obj: string, message: string, count = 1): Event => ({
  metadata: { name },
  involvedObject: { kind: 'Pod', name: obj },
  lastTimestamp: t,
  type,
  reason,
  message,
  count,
});

const events = [
  ev('e3', '2025-01-01T10:00:09Z', 'Warning', 'BackOff', 'web', 'Back-off pulling image "nginx:9.99"', 3),
  ev('e1', '2025-01-01T10:00:01Z', 'Normal', 'Scheduled', 'web', 'Successfully assigned tte-x/web to node1'),
  ev('e2', '2025-01-01T10:00:02Z', 'Warning', 'Failed', 'web', 'Failed to pull image "nginx:9.99": not found'),
];

const ready: Pod = {
  metadata: { name: 'ok' },
  status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] },
};
const stuck: Pod = {
  metadata: { name: 'web' },
  status: {
    phase: 'Pending',
    conditions: [{ type: 'Ready', status: 'False', reason: 'ContainersNotReady' }],
    containerStatuses: [
      { name: 'nginx', image: '', imageID: '', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } },
    ],
  },
};

describe('diagnostics summary', () => {
  test('events sort oldest first and format like kubectl get events', () => {
    expect(sortEvents(events).map((e) => e.metadata.name)).toEqual(['e1', 'e2', 'e3']);
    const first = events[0];
    if (!first) throw new Error('no test event');
    expect(formatEvent(first)).toBe('10:00:09 Warning BackOff pod/web: Back-off pulling image "nginx:9.99" (x3)');
  });

  test('not-ready pods first, then the latest warnings, then what could not be collected', () => {
    expect(
      formatDiagnosticsSummary({
        namespace: 'tte-x',
        dir: 'artifacts/x/2025',
        pods: [ready, stuck],
        events,
        problems: ['no log of web/nginx: HTTP 400'],
      }),
    ).toBe(
      [
        'Diagnostics of namespace tte-x (full: artifacts/x/2025):',
        '  pods (2):',
        '    pod web: phase=Pending; conditions: Ready=False (ContainersNotReady); containers: nginx: waiting (ImagePullBackOff), restarts=0',
        '    pod ok: phase=Running; conditions: Ready=True',
        '  warning events (last 2 of 2):',
        '    10:00:02 Warning Failed pod/web: Failed to pull image "nginx:9.99": not found',
        '    10:00:09 Warning BackOff pod/web: Back-off pulling image "nginx:9.99" (x3)',
        '  ! no log of web/nginx: HTTP 400',
      ].join('\n'),
    );
  });

  test('no warnings: the latest events; limits apply', () => {
    const normal = [1, 2, 3, 4].map((i) => ev(`n${i}`, `2025-01-01T10:00:0${i}Z`, 'Normal', 'Pulled', 'p', `m${i}`));
    const s = formatDiagnosticsSummary({ namespace: 'n', pods: [ready, ready, ready], events: normal }, { maxPods: 2, maxEvents: 2 });
    expect(s).toContain('    ... and 1 more');
    expect(s).toContain('  events (last 2 of 4):\n    10:00:03 Normal Pulled pod/p: m3\n    10:00:04 Normal Pulled pod/p: m4');
  });

  test('an empty namespace', () => {
    expect(formatDiagnosticsSummary({ namespace: 'n', pods: [], events: [] })).toBe('Diagnostics of namespace n:\n  pods: none\n  events: none');
  });
});
