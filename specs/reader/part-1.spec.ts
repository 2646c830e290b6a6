// The reader's own commands in Part 1 of the course ("Introduction to
// Kubernetes"): from `kubectl apply -f nginx-pod.yaml` to `kubectl logs` and
// `kubectl port-forward`, each typed as written in the text's order, in one
// session per source, and what it printed compared alike with what the text
// shows. Each section's commands are a test of that section.
import { verifyCommandsAsWritten } from '../../helpers/suite/commands-as-written.js';

// The sources' sessions are long (each command a kubectl process, each shown
// output typed again), and a file runs them one after another: Part 1 is
// split into three files (this one and part-1.2, part-1.3), each typing every
// third source, so they run in parallel.
verifyCommandsAsWritten(1, { index: 1, of: 3 });
