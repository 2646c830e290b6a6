// One error type for everything wrong with a tutorial source, so callers (the
// extract scripts, the specs' setup) can catch it and print a message that is
// useful on its own: where (file:line), what, and how to fix it when we know.

export interface TutorialSourceProblem {
  /** Path as the user should see it (relative to the tutorial root, or as given). */
  file?: string;
  line?: number;
  problem: string;
  fix?: string;
}

export class TutorialSourceError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly problem: string;
  readonly fix: string | undefined;

  constructor(details: TutorialSourceProblem, options?: { cause?: unknown }) {
    super(formatProblem(details), options);
    this.name = 'TutorialSourceError';
    this.file = details.file;
    this.line = details.line;
    this.problem = details.problem;
    this.fix = details.fix;
  }
}

function formatProblem({ file, line, problem, fix }: TutorialSourceProblem): string {
  const where = file === undefined ? '' : line === undefined ? `${file}: ` : `${file}:${line}: `;
  return `${where}${problem}${fix === undefined ? '' : `\n  fix: ${fix}`}`;
}
