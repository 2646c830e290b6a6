// The project's folder, in a module of its own: the e2e global setup runs in
// jest's main process, which a single spec file shares (jest runs it in band),
// so what the setup imports must not load the tutorial reader (Asciidoctor's
// Opal runtime refuses to be loaded twice in one process).
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
