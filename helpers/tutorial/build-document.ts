// RawDocument (either format) -> Document: sections with their manifests,
// transcripts and recognised edits, keyed and tied together.
import { recordSection } from './block-sections.js';
import { applyEdit, findEditTarget, findReplacedManifest, type ManifestState } from './edits.js';
import { findEditRequests, lineOfOffset, namedFiles, sentenceAround, type EditRequest } from './edit-patterns.js';
import { TutorialSourceError } from './errors.js';
import { isYamlLanguage, looksLikeManifest, manifestText, parseManifest, stripCallouts } from './manifest-yaml.js';
import type { Block, Document, Edit, Format, ManifestBlock, Section, TranscriptBlock } from './model.js';
import type { RawCode, RawDocument, RawHeading, RawProse } from './raw-document.js';
import { isAsciiTitle, sectionSlugBase, uniqueName } from './slug.js';
import { commentText, parseTranscript } from './transcript.js';

/** Languages (or none) under which a block may be a command transcript. */
const TRANSCRIPT_LANGUAGES = new Set(['', 'sh', 'bash', 'shell', 'console', 'shell-session', 'sh-session', 'zsh', 'terminal', 'text', 'txt', 'plaintext']);

/** A block title that names a file the reader saves (`nginx-pod.yaml`). */
const FILE_NAME = /^[\w.@-]+\.(?:ya?ml|json)$/;

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

class DocumentBuilder {
  private readonly sections: SectionDraft[] = [];
  private readonly headingStack: RawHeading[] = [];
  private readonly usedSlugs = new Set<string>();
  /** Manifests shown so far in this document, with the edits asked for so far applied. */
  private readonly states: ManifestState[] = [];
  private pendingReplace: PendingReplace | undefined;

  constructor(
    private readonly raw: RawDocument,
    private readonly file: string,
    private readonly format: Format,
    private readonly slug: string,
  ) {}

  build(): Document {
    for (const node of this.raw.nodes) {
      if (node.type === 'heading') this.heading(node);
      else if (node.type === 'prose') this.prose(node);
      else this.code(node);
    }
    const sections = this.sections.map((draft) => this.finish(draft));
    return { file: this.file, format: this.format, title: this.raw.title, slug: this.slug, sections };
  }

  private heading(node: RawHeading): void {
    this.pendingReplace = undefined;
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
    this.pendingReplace = undefined;
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
        this.edit(request, line, sentence, namedFile);
      }
    }
  }

  /** Records a set-replicas or change-image edit against the manifest it changes. */
  private edit(
    request: Exclude<EditRequest, { change: 'replace-file' }>,
    line: number,
    sentence: string,
    namedFile: string | undefined,
  ): void {
    const state = findEditTarget(this.states, request, namedFile);
    if (state === undefined) {
      const wanted =
        request.change === 'set-replicas' ? 'declares `spec.replicas`' : `uses image \`${request.from}\``;
      throw new TutorialSourceError({
        file: this.file,
        line,
        problem: `the text asks for an edit ("${sentence}") but no manifest shown earlier in this document ${wanted}`,
        fix: 'show the manifest before asking to edit it; if this sentence is not an edit request, reword it or adjust helpers/tutorial/edit-patterns.ts',
      });
    }
    const base = { kind: 'edit' as const, source: { file: this.file, line }, sectionKey: '', target: state.block.key, request: sentence };
    const edit: Edit =
      request.change === 'set-replicas'
        ? { ...base, change: 'set-replicas', replicas: request.replicas, ...(request.from === undefined ? {} : { from: request.from }) }
        : { ...base, change: 'change-image', from: request.from, to: request.to };
    state.objects = applyEdit(state.objects, edit);
    this.add(edit, line);
  }

  private code(node: RawCode): void {
    const pendingReplace = this.pendingReplace;
    this.pendingReplace = undefined;
    const lines = node.mayHaveCallouts ? stripCallouts(node.lines) : node.lines;
    if (isYamlLanguage(node.language) || looksLikeManifest(lines)) {
      this.manifest(node, lines, pendingReplace);
    } else if (TRANSCRIPT_LANGUAGES.has(node.language ?? '')) {
      this.transcript(node);
    } else {
      this.codeBlock(node);
    }
  }

  private manifest(node: RawCode, lines: string[], pendingReplace: PendingReplace | undefined): void {
    const text = manifestText(lines);
    const label = node.title === undefined ? 'untitled manifest block' : `manifest block "${node.title}"`;
    const objects = parseManifest(text, { file: this.file, line: node.line, label });
    const draft = this.current(node.line);
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
      if (replaced !== undefined) {
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
        this.flushTranscript(commands, skipped, line, partLine);
        this.edit(request, line, sentenceAround(comment, request.offset, request.end), undefined);
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

export function buildDocument(raw: RawDocument, file: string, format: Format, slug: string): Document {
  return new DocumentBuilder(raw, file, format, slug).build();
}
