import { formatNode, nodeReadyStatus, type Node } from './nodes.js';

describe('nodes in words', () => {
  test('Ready status, reason, cordon and taints on one line', () => {
    const n: Node = {
      metadata: { name: 'w1' },
      spec: { unschedulable: true, taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute' }] },
      status: { conditions: [{ type: 'Ready', status: 'Unknown', reason: 'NodeStatusUnknown' }] },
    };
    expect(nodeReadyStatus(n)).toBe('Unknown');
    expect(formatNode(n)).toBe('node w1: Ready=Unknown (NodeStatusUnknown), cordoned, taints node.kubernetes.io/unreachable:NoExecute');
    expect(formatNode({ metadata: { name: 'cp' } })).toBe('node cp: Ready=?');
    expect(nodeReadyStatus({})).toBeUndefined();
  });
});
