// Public API of the tutorial reader.
export type * from './model.js';
export { TutorialSourceError } from './errors.js';
export { readTutorial, tutorialFilesIn, type ReadTutorialOptions } from './read-tutorial.js';
export {
  allBlocks,
  allEdits,
  allManifests,
  documentOf,
  editsFor,
  findCommands,
  findManifests,
  findSection,
  getManifest,
  manifestAfterEdits,
  problemsIn,
  sectionOf,
  type CommandFilter,
  type ManifestFilter,
} from './query.js';
export { applyEdit } from './edits.js';
export { containersOf, imagesOf, podSpecsOf, replicasOf } from './kube-objects.js';
export { RECOGNISED_EDITS } from './edit-patterns.js';
