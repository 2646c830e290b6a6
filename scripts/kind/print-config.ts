// Prints the kind config the kind provider writes for this machine (helpers/providers/kind.ts,
// kindConfig), for 1 or 3 nodes: what scripts/kind/measure.sh creates clusters with, and what to
// pass to `kind create cluster --config` by hand. Registry mirrors are the provider's to add.
//
// Usage: npx tsx scripts/kind/print-config.ts 1|3
import { hostIsCgroupV1, kindConfig } from '../../helpers/providers/kind.js';
import { lacksSysResource } from '../../helpers/providers/kind-engine.js';

const arg = process.argv[2] ?? '1';
if (arg !== '1' && arg !== '3') {
  process.stderr.write('usage: print-config.ts 1|3\n');
  process.exit(2);
}
const nodes = arg === '3' ? 3 : 1;
process.stdout.write(kindConfig({ nodes, cgroupV1: hostIsCgroupV1(), restrictOomScoreAdj: lacksSysResource(), fastNodeLoss: nodes === 3 }));
