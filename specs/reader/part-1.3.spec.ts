// Shard 3 of 3 of the reader's commands in Part 1 (see part-1.spec.ts): the
// third source of every three.
import { verifyCommandsAsWritten } from '../../helpers/suite/commands-as-written.js';

verifyCommandsAsWritten(1, { index: 3, of: 3 });
