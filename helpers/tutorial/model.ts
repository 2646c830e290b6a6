// The tutorial as the suite sees it: documents, their sections, and in each
// section the blocks a reader acts on (manifests to save, commands to type,
// edits the prose asks for), in the order the text presents them.
//
// Everything here is plain data (no class instances, no cycles) so it can be
// snapshotted, diffed and printed by jest without surprises.

export type Format = 'asciidoc' | 'markdown';

/** Where something sits in the tutorial text. */
export interface SourceRef {
  /** Path of the tutorial file, relative to Tutorial.root (POSIX separators). */
  file: string;
  /** 1-based line number in that file. */
  line: number;
}

export interface Tutorial {
  /** Name of the source, from its folder (e.g. `cybozu-introduction-to-kubernetes@b3e9c28`). */
  name: string;
  /** Absolute path of the folder the documents' `file` paths are relative to. */
  root: string;
  /** Tutorial text files, sorted by file path (see read-tutorial.ts for which files count). */
  documents: Document[];
  /**
   * Blocks that could not be read (invalid YAML, a manifest without metadata.name, an edit
   * request that matches no manifest...), in reading order. Each is left out of `blocks`;
   * the rest of the source is read as usual. Empty for a clean source. See problemsIn.
   */
  problems: BlockProblem[];
}

/**
 * One block of the text the reader could not make sense of. It fails the section it
 * sits in (sectionKey), not the whole source.
 */
export interface BlockProblem {
  /** Tutorial file, relative to Tutorial.root (as in SourceRef). */
  file: string;
  /** 1-based line: the offending line when known, else the block's first content line (or the request line of an edit). */
  line: number;
  /** Key of the section the block sits under (same as BlockBase.sectionKey). */
  sectionKey: string;
  /** What is wrong, in one message (no file:line prefix). */
  problem: string;
  /** How to fix it, when known. */
  fix?: string;
  blockKind: 'manifest' | 'transcript' | 'edit' | 'code';
  /** For a manifest block: the key it would have had, when known. Later manifests keep their keys. */
  key?: string;
}

export interface Document {
  file: string;
  format: Format;
  title: string;
  /** ASCII slug of the file name, the first segment of every manifest key. */
  slug: string;
  sections: Section[];
}

export interface Section {
  /** `<document slug>/<section slug>`: unique in the tutorial; manifest keys extend it. */
  key: string;
  /** ASCII, filename-safe slug (see slug.ts for how non-ASCII titles are named). */
  slug: string;
  title: string;
  /** Titles from the outermost enclosing section down to this one (document title excluded). */
  headingPath: string[];
  /** Asciidoctor's auto id for AsciiDoc (e.g. `_pod_disruption_budget`), a GitHub-style slug for Markdown. */
  anchor: string;
  /** Depth below the document title: 1 for `==`/`##`-in-adoc and top-level Markdown sections. 0 for the preamble. */
  level: number;
  source: SourceRef;
  blocks: Block[];
}

/** A Kubernetes object as written in the tutorial; only the identifying fields are guaranteed. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [field: string]: unknown };
  [field: string]: unknown;
}

interface BlockBase {
  /** For a manifest or transcript: the block's first content line. For an edit: the line that asks for it. */
  source: SourceRef;
  /** Key of the section the block belongs to (see sectionOf in query.ts). */
  sectionKey: string;
}

export interface ManifestBlock extends BlockBase {
  kind: 'manifest';
  /** `<document>/<section>/<n>`: stable, ASCII, usable as a relative file path. */
  key: string;
  /** 1-based position among the manifests of its section (the `<n>` of the key). */
  index: number;
  /** The block title as written (`.nginx-pod.yaml`, or the `yaml:FILE` fence info). */
  title?: string;
  /**
   * The file the reader saves this as: the title when it looks like a file name, otherwise the
   * file the surrounding prose names (the untitled NodePort Service "rewrites nginx-service.yaml").
   */
  filename?: string;
  /** The YAML as the reader would save it: callout markers (` <1>`) removed. */
  text: string;
  objects: KubeObject[];
  /** Which kind of block held it: a declared YAML listing/fence, or YAML found in an untyped literal block. */
  origin: 'yaml-block' | 'literal-block';
}

export type CommandContext =
  | { where: 'host' }
  | {
      where: 'pod';
      /** Pod named by the prompt: `(bastion)# ` or `root@bastion:/# `. */
      pod: string;
      /** Pod the preceding `kubectl exec -it POD -- bash` in the same transcript entered, if shown. */
      enteredPod?: string;
      /** Container named with `-c` on that exec, if any. */
      container?: string;
      /** Where that exec command is. */
      enteredAt?: SourceRef;
    };

export interface Command {
  /** The command as typed, prompt removed. */
  text: string;
  /** The prompt as shown (`$ `, `(bastion)# `, `root@bastion:/# `), or '' for a bare `kubectl ...` line. */
  prompt: string;
  context: CommandContext;
  /** `# ...` comment lines right before the command (without the `# `). */
  comments: string[];
  /** Output lines the text shows after the command (trailing blank lines dropped). */
  output: string[];
  source: SourceRef;
  /** Set when the command opens an interactive shell in a pod (`kubectl exec -it POD -- bash`). */
  opensShell?: { pod: string; container?: string; shell: string };
  /** Set when the command opens a file in an editor (`vim nginx-deployment.yaml`): an edit happens here. */
  editsFile?: string;
}

export interface TranscriptBlock extends BlockBase {
  kind: 'transcript';
  commands: Command[];
  /** Lines that are neither a command, its output nor a comment (e.g. a stray empty shell prompt). */
  skipped: Array<{ line: number; text: string; reason: string }>;
}

/** A code block that is neither a manifest nor a transcript (e.g. an unprompted one-liner). */
export interface CodeBlock extends BlockBase {
  kind: 'code';
  language?: string;
  text: string;
}

interface EditBase extends BlockBase {
  kind: 'edit';
  /** Key of the manifest the edit changes. */
  target: string;
  /** The sentence or comment that asked for the edit, as written. */
  request: string;
}

export interface SetReplicasEdit extends EditBase {
  change: 'set-replicas';
  replicas: number;
  /** Only when the text states the old value (`replicas: 3` -> `replicas: 4`). */
  from?: number;
}

export interface ChangeImageEdit extends EditBase {
  change: 'change-image';
  from: string;
  to: string;
}

export interface ReplaceFileEdit extends EditBase {
  change: 'replace-file';
  /** Key of the manifest block holding the new content of the file. */
  replacement: string;
  filename?: string;
}

export type Edit = SetReplicasEdit | ChangeImageEdit | ReplaceFileEdit;

export type Block = ManifestBlock | TranscriptBlock | CodeBlock | Edit;
