// RawDocument (either format) -> Document: sections with their manifests,
// transcripts and recognised edits, keyed and tied together. A block that
// cannot be read (bad YAML, an edit that matches no manifest) becomes a
// BlockFailure of the section it sits in, and reading goes on.
import { recordSection } from './block-sections.js';
import { applyEdit, findEditTarget, findReplacedManifest, nearestCandidate, type ManifestState } from './edits.js';
import { findEditRequests, lineOfOffset, namedFiles, sentenceAround, type EditRequest } from './edit-patterns.js';
import { TutorialSourceError } from './errors.js';
import { imagesOf, replicasOf } from './kube-objects.js';
import { guessIdentity, isYamlLanguage, looksLikeManifest, manifestText, parseManifest, stripCallouts } from './manifest-yaml.js';
import type { Block, BlockProblem, Document, Edit, Format, KubeObject, ManifestBlock, Section, TranscriptBlock } from './model.js';
import type { RawCode, RawDocument, RawHeading, RawProse } from './raw-document.js';
import { isAsciiTitle, sectionSlugBase, uniqueName } from './slug.js';
import { commentText, parseTranscript } from './transcript.js';

/** Languages (or none) under which a block may be a command transcript. */
const TRANSCRIPT_LANGUAGES = new Set(['', 'sh', 'bash', 'shell', 'console', 'shell-session', 'sh-session', 'zsh', 'terminal', 'text', 'txt', 'plaintext']);

/**
 * A block title that names a file the reader saves (`nginx-pod.yaml`). The suite writes
 * and passes it to kubectl, so it is one path segment of plain characters: no `/`, no
 * shell metacharacter, no `..`, and a letter, digit or `_` first (not `-`, so never
 * taken for an option).
 */
const FILE_NAME = /^\w(?:[\w@-]|\.(?!\.))*\.(?:ya?ml|json)$/;

interface SectionDraft {
  section: Section;
  /** False until the slug is known (non-ASCII titles wait for their first manifest). */
  named: boolean;
  ordinal: number;
  manifests: number;
}

interface PendingReplace {
  line: number;
  request: string;
  namedFile?: string;
}

/**
 * A block that could not be read: the problem as the model records it, and the
 * error readTutorial throws for it in strict mode (today's message, cause included).
 */
export interface BlockFailure {
  problem: BlockProblem;
  error: TutorialSourceError;
}

export interface BuiltDocument {
  document: Document;
  /** In line order; each problem's sectionKey is filled in. */
  failures: BlockFailure[];
}

class DocumentBuilder {
  private readonly sections: SectionDraft[] = [];
  private readonly headingStack: RawHeading[] = [];
  private readonly usedSlugs = new Set<string>();
  /** Manifests shown so far in this document, with the edits asked for so far applied. */
  private readonly states: ManifestState[] = [];
  private pendingReplace: PendingReplace | undefined;
  private readonly failures: Array<BlockFailure & { draft: SectionDraft }> = [];
  /** Manifest blocks of this document that could not be read (named when an edit then finds no target). */
  private readonly unreadManifests: number[] = [];

  constructor(
    private readonly raw: RawDocument,
    private readonly file: string,
    private readonly format: Format,
    private readonly slug: string,
  ) {}

  build(): BuiltDocument {
    for (const node of this.raw.nodes) {
      if (node.type === 'heading') this.heading(node);
      else if (node.type === 'prose') this.prose(node);
      else this.code(node);
    }
    this.replaceWithoutBlock('the document ends before any block with the new content');
    const sections = this.sections.map((draft) => this.finish(draft));
    const failures = this.failures
      .map(({ draft, problem, error }) => ({ problem: { ...problem, sectionKey: draft.section.key }, error }))
      .sort((a, b) => a.problem.line - b.problem.line);
    return { document: { file: this.file, format: this.format, title: this.raw.title, slug: this.slug, sections }, failures };
  }

  /** Records a block that could not be read, under the section that holds `line`. */
  private fail(error: TutorialSourceError, blockKind: BlockProblem['blockKind'], line: number, key?: string): void {
    const problem: BlockProblem = {
      file: this.file,
      line: error.line ?? line,
      sectionKey: '',
      problem: error.problem,
      ...(error.fix === undefined ? {} : { fix: error.fix }),
      blockKind,
      ...(key === undefined ? {} : { key }),
    };
    this.failures.push({ draft: this.current(line), problem, error });
  }

  /** A "replace the file as follows" request that no block follows is a problem of its section. */
  private replaceWithoutBlock(but: string): void {
    const pending = this.pendingReplace;
    this.pendingReplace = undefined;
    if (pending === undefined) return;
    this.fail(
      new TutorialSourceError({
        file: this.file,
        line: pending.line,
        problem: `the text asks to replace a file ("${pending.request}") but ${but}`,
        fix: 'put the new content of the file in a YAML block right after this sentence; if the sentence does not ask to replace a file, reword it or adjust helpers/tutorial/edit-patterns.ts',
      }),
      'edit',
      pending.line,
    );
  }

  private heading(node: RawHeading): void {
    this.replaceWithoutBlock(`a heading (line ${node.line}) comes before any block with the new content`);
    while ((this.headingStack[this.headingStack.length - 1]?.level ?? 0) >= node.level) this.headingStack.pop();
    this.headingStack.push(node);
    const draft = this.newSection({
      title: node.title,
      headingPath: this.headingStack.map((h) => h.title),
      anchor: node.anchor,
      level: node.level,
      line: node.line,
    });
    if (isAsciiTitle(node.title)) this.name(draft, undefined);
  }

  private newSection(fields: { title: string; headingPath: string[]; anchor: string; level: number; line: number }): SectionDraft {
    const draft: SectionDraft = {
      section: {
        key: '',
        slug: '',
        title: fields.title,
        headingPath: fields.headingPath,
        anchor: fields.anchor,
        level: fields.level,
        source: { file: this.file, line: fields.line },
        blocks: [],
      },
      named: false,
      ordinal: this.sections.length + 1,
      manifests: 0,
    };
    this.sections.push(draft);
    return draft;
  }

  /** The section blocks go to; text before the first heading gets a level-0 preamble section. */
  private current(line: number): SectionDraft {
    const last = this.sections[this.sections.length - 1];
    if (last !== undefined) return last;
    const draft = this.newSection({ title: this.raw.title, headingPath: [], anchor: '', level: 0, line });
    draft.section.slug = uniqueName('preamble', this.usedSlugs);
    draft.named = true;
    return draft;
  }

  private name(draft: SectionDraft, firstManifest: { kind: string; name: string } | undefined): void {
    if (draft.named) return;
    draft.section.slug = uniqueName(sectionSlugBase(draft.section.title, firstManifest, draft.ordinal), this.usedSlugs);
    draft.named = true;
  }

  private finish(draft: SectionDraft): Section {
    this.name(draft, undefined);
    const { section } = draft;
    section.key = `${this.slug}/${section.slug}`;
    for (const block of section.blocks) {
      block.sectionKey = section.key;
      recordSection(block, section);
    }
    return section;
  }

  private add(block: Block, line: number): void {
    this.current(line).section.blocks.push(block);
  }

  private prose(node: RawProse): void {
    this.replaceWithoutBlock(`another paragraph (line ${node.line}) comes before any block with the new content`);
    const text = node.lines.join('\n');
    const files = namedFiles(text);
    for (const request of findEditRequests(text)) {
      const line = node.line + lineOfOffset(text, request.offset);
      const sentence = sentenceAround(text, request.offset, request.end);
      // The file a request is about is the last one named before it in the same paragraph.
      const namedFile = [...files].reverse().find((f) => f.offset < request.end)?.name;
      if (request.change === 'replace-file') {
        this.pendingReplace = { line, request: sentence, ...(namedFile === undefined ? {} : { namedFile }) };
      } else {
        const edit = this.edit(request, line, sentence, namedFile);
        if (edit !== undefined) this.add(edit, line);
      }
    }
  }

  /**
   * Resolves a set-replicas or change-image request against the manifest it changes and
   * applies it to that manifest's state; the caller places the edit. When no manifest
   * fits, records the problem and returns undefined.
   */
  private edit(
    request: Exclude<EditRequest, { change: 'replace-file' }>,
    line: number,
    sentence: string,
    namedFile: string | undefined,
  ): Edit | undefined {
    const state = findEditTarget(this.states, request, namedFile);
    if (state === undefined) {
      this.fail(this.noEditTarget(request, line, sentence, namedFile), 'edit', line);
      return undefined;
    }
    const base = { kind: 'edit' as const, source: { file: this.file, line }, sectionKey: '', target: state.block.key, request: sentence };
    const edit: Edit =
      request.change === 'set-replicas'
        ? { ...base, change: 'set-replicas', replicas: request.replicas, ...(request.from === undefined ? {} : { from: request.from }) }
        : { ...base, change: 'change-image', from: request.from, to: request.to };
    state.objects = applyEdit(state.objects, edit);
    return edit;
  }

  /** Why no manifest fits an edit request, naming the manifest it most likely meant. */
  private noEditTarget(
    request: Exclude<EditRequest, { change: 'replace-file' }>,
    line: number,
    sentence: string,
    namedFile: string | undefined,
  ): TutorialSourceError {
    const wanted =
      request.change === 'change-image'
        ? `uses image \`${request.from}\``
        : request.from === undefined
          ? 'declares `spec.replicas`'
          : `declares \`spec.replicas\` as ${request.from}`;
    const candidate = nearestCandidate(this.states, request.change, namedFile);
    const where = candidate === undefined ? '' : `${candidate.block.key} (${this.file}:${candidate.block.source.line})`;
    // What the candidate has where the sentence expects its old value.
    const actual =
      candidate === undefined
        ? ''
        : request.change === 'change-image'
          ? imagesOf(candidate.objects).map((image) => `\`${image}\``).join(', ')
          : `\`replicas: ${candidate.objects.map(replicasOf).find((r) => r !== undefined) ?? '?'}\``;
    const unread = this.unreadManifests.map((at) => `${this.file}:${at}`);
    const problem = [
      `the text asks for an edit ("${sentence}") but no manifest shown earlier in this document ${wanted}`,
      ...(candidate === undefined ? [] : [`the manifest it most likely means, ${where}, has ${actual} at this point`]),
      ...(unread.length === 0 ? [] : [`the manifest block${unread.length === 1 ? '' : 's'} at ${unread.join(', ')} could not be read (see ${unread.length === 1 ? 'its' : 'their'} own problem)`]),
    ].join('; ');
    const fix =
      candidate === undefined
        ? `${unread.length === 0 ? '' : 'fix the manifest block that could not be read, or '}show the manifest before asking to edit it; if this sentence is not an edit request, reword it or adjust helpers/tutorial/edit-patterns.ts`
        : `make the sentence and the manifest agree: either the sentence's old value becomes ${actual} (what ${where} has), or that manifest gets the old value the sentence states`;
    return new TutorialSourceError({ file: this.file, line, problem, fix });
  }

  private code(node: RawCode): void {
    const lines = node.mayHaveCallouts ? stripCallouts(node.lines) : node.lines;
    if (isYamlLanguage(node.language) || looksLikeManifest(lines)) {
      const pendingReplace = this.pendingReplace;
      this.pendingReplace = undefined;
      this.manifest(node, lines, pendingReplace);
      return;
    }
    // A request to replace a named YAML file followed by a block that is no manifest: the
    // new content is missing or unreadable. Unnamed, the request may be about something else.
    if (this.pendingReplace?.namedFile !== undefined) {
      this.replaceWithoutBlock(`the block after it (line ${node.line}) is not a manifest, so it holds no new content for \`${this.pendingReplace.namedFile}\``);
    }
    this.pendingReplace = undefined;
    if (TRANSCRIPT_LANGUAGES.has(node.language ?? '')) {
      this.transcript(node);
    } else {
      this.codeBlock(node);
    }
  }

  private manifest(node: RawCode, lines: string[], pendingReplace: PendingReplace | undefined): void {
    const text = manifestText(lines);
    const label = node.title === undefined ? 'untitled manifest block' : `manifest block "${node.title}"`;
    const draft = this.current(node.line);
    let objects: KubeObject[];
    try {
      objects = parseManifest(text, { file: this.file, line: node.line, label });
    } catch (error) {
      if (!(error instanceof TutorialSourceError)) throw error;
      // The block keeps its place: the section is named and later manifests are numbered
      // as they will be once it is fixed.
      const guess = guessIdentity(text);
      if (guess !== undefined) this.name(draft, guess);
      draft.manifests += 1;
      const key = draft.named ? `${this.slug}/${draft.section.slug}/${draft.manifests}` : undefined;
      this.unreadManifests.push(node.line);
      this.fail(error, 'manifest', node.line, key);
      return;
    }
    const first = objects[0];
    this.name(draft, first === undefined ? undefined : { kind: first.kind, name: first.metadata.name });
    draft.manifests += 1;
    const filename =
      node.title !== undefined && FILE_NAME.test(node.title) ? node.title : pendingReplace?.namedFile;
    const block: ManifestBlock = {
      kind: 'manifest',
      key: `${this.slug}/${draft.section.slug}/${draft.manifests}`,
      index: draft.manifests,
      ...(node.title === undefined ? {} : { title: node.title }),
      ...(filename === undefined ? {} : { filename }),
      text,
      objects,
      origin: isYamlLanguage(node.language) ? 'yaml-block' : 'literal-block',
      source: { file: this.file, line: node.line },
      sectionKey: '',
    };
    if (pendingReplace !== undefined) {
      const replaced = findReplacedManifest(this.states, block);
      if (replaced === undefined) {
        const sought = [
          ...(filename === undefined ? [] : [`is saved as \`${filename}\``]),
          ...(first === undefined ? [] : [`declares ${first.kind} ${first.metadata.name}`]),
        ].join(' or ');
        this.fail(
          new TutorialSourceError({
            file: this.file,
            line: pendingReplace.line,
            problem: `the text asks to replace a file ("${pendingReplace.request}") but no manifest shown earlier in this document ${sought}, so there is no file for the block at line ${node.line} to replace`,
            fix: 'show the original file before asking to replace it, and name it in the sentence (`nginx-service.yaml`) or in the block title; if the block is a new file, reword the sentence',
          }),
          'edit',
          pendingReplace.line,
        );
      } else {
        const edit: Edit = {
          kind: 'edit',
          change: 'replace-file',
          target: replaced.block.key,
          replacement: block.key,
          ...(filename === undefined ? {} : { filename }),
          request: pendingReplace.request,
          source: { file: this.file, line: pendingReplace.line },
          sectionKey: '',
        };
        this.add(edit, pendingReplace.line);
      }
    }
    this.add(block, node.line);
    this.states.push({ block, objects });
  }

  /**
   * A transcript, split where one of its comments asks for an edit, so that commands
   * before the edit, the edit, and commands after it stay in reading order.
   */
  private transcript(node: RawCode): void {
    const { commands, skipped } = parseTranscript(node.lines, this.file, node.line);
    if (commands.length === 0) {
      this.codeBlock(node);
      return;
    }
    // Each part starts at the block's first line, or right after the edit that split it.
    let partLine = node.line;
    node.lines.forEach((text, i) => {
      const comment = commentText(text);
      if (comment === undefined) return;
      for (const request of findEditRequests(comment)) {
        if (request.change === 'replace-file') continue;
        const line = node.line + i;
        // An edit that matches no manifest is a problem and does not split the transcript.
        const edit = this.edit(request, line, sentenceAround(comment, request.offset, request.end), undefined);
        if (edit === undefined) continue;
        this.flushTranscript(commands, skipped, line, partLine);
        this.add(edit, line);
        partLine = line + 1;
      }
    });
    this.flushTranscript(commands, skipped, Number.POSITIVE_INFINITY, partLine);
  }

  /** Moves the commands (and skipped lines) before `beforeLine` into a transcript block starting at `partLine`. */
  private flushTranscript(
    commands: TranscriptBlock['commands'],
    skipped: TranscriptBlock['skipped'],
    beforeLine: number,
    partLine: number,
  ): void {
    const taken = commands.filter((c) => c.source.line < beforeLine);
    // Skipped lines with no command before the edit travel on with the next part.
    if (taken.length === 0) return;
    const takenSkipped = skipped.filter((s) => s.line < beforeLine);
    commands.splice(0, taken.length);
    skipped.splice(0, takenSkipped.length);
    const block: TranscriptBlock = {
      kind: 'transcript',
      commands: taken,
      skipped: takenSkipped,
      source: { file: this.file, line: partLine },
      sectionKey: '',
    };
    this.add(block, partLine);
  }

  private codeBlock(node: RawCode): void {
    this.add(
      {
        kind: 'code',
        ...(node.language === undefined || node.language === '' ? {} : { language: node.language }),
        text: node.lines.join('\n'),
        source: { file: this.file, line: node.line },
        sectionKey: '',
      },
      node.line,
    );
  }
}

export function buildDocument(raw: RawDocument, file: string, format: Format, slug: string): BuiltDocument {
  return new DocumentBuilder(raw, file, format, slug).build();
}
