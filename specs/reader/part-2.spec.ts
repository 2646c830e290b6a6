// The reader's own commands in Part 2 of the course ("More introduction"):
// probes, resources, the shared volume, anti-affinity and the budget, each
// typed as written, in a session of its own per source (the second part
// starts from a clean namespace, as its text's outputs show).
import { verifyCommandsAsWritten } from '../../helpers/suite/commands-as-written.js';

verifyCommandsAsWritten(2);
