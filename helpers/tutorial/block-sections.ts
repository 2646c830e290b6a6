// Blocks are plain data without a pointer to their section (a cycle would make
// them unprintable and unserialisable), so the reader records the link here.
import type { Block, Section } from './model.js';

const sections = new WeakMap<Block, Section>();

export function recordSection(block: Block, section: Section): void {
  sections.set(block, section);
}

/** The section a block read by readTutorial belongs to. */
export function sectionOf(block: Block): Section {
  const section = sections.get(block);
  if (section === undefined) {
    throw new Error(
      `sectionOf: this ${block.kind} block (${block.source.file}:${block.source.line}) was not produced by readTutorial; ` +
        'look it up with findSection(tutorial, { key: block.sectionKey }) instead',
    );
  }
  return section;
}
