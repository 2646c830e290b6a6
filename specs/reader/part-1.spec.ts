// The reader's own commands in Part 1 of the course ("Introduction to
// Kubernetes"): from `kubectl apply -f nginx-pod.yaml` to `kubectl logs` and
// `kubectl port-forward`, each typed as written in the text's order, in one
// session per source, and what it printed compared alike with what the text
// shows. Each section's commands are a test of that section.
import { verifyCommandsAsWritten } from '../../helpers/suite/commands-as-written.js';

verifyCommandsAsWritten(1);
