// Shard 2 of 3 of the reader's commands in Part 1 (see part-1.spec.ts): the
// second source of every three.
import { verifyCommandsAsWritten } from '../../helpers/suite/commands-as-written.js';

verifyCommandsAsWritten(1, { index: 2, of: 3 });
