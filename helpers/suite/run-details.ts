// What a run knows besides its Report, for the reports that show more than a
// table cell: how long each cell's checks took, and the whole text of each
// failure. The Report keeps a failure's first line (what a cell shows);
// junit.xml and report.html show all of it, with the namespace's events, pod
// states and logs the harness appended to the message.

/** The parts of jest's --json output read here (tests are grouped `<section> > <source> > <test>`, as report.ts reads them). */
export interface JestDetails {
  testResults: Array<{
    assertionResults: Array<{ ancestorTitles: string[]; title: string; failureMessages: string[]; duration?: number | null }>;
  }>;
}

export interface CellDetails {
  /** The cell's checks, added up (jest runs a file's tests one after another). */
  ms?: number;
  /** The full failure message of each failed check, by its title. */
  evidence: Map<string, string>;
}

export interface RunDetails {
  /** The run's name: its artifacts folder. */
  run: string;
  startedAt: Date;
  /** The e2e run's wall time. */
  wallMs?: number;
  /** By cellKey(section, source). */
  cells: Map<string, CellDetails>;
}

function cellKey(section: string, source: string): string {
  return JSON.stringify([section, source]);
}

export function runDetails(jest: JestDetails | undefined, run: { run: string; startedAt: Date; wallMs?: number }): RunDetails {
  const cells = new Map<string, CellDetails>();
  for (const file of jest?.testResults ?? []) {
    for (const a of file.assertionResults) {
      const [section, source] = a.ancestorTitles;
      if (section === undefined || source === undefined) continue;
      const key = cellKey(section, source);
      const cell = cells.get(key) ?? { evidence: new Map<string, string>() };
      cells.set(key, cell);
      if (typeof a.duration === 'number') cell.ms = (cell.ms ?? 0) + a.duration;
      if (a.failureMessages.length > 0) cell.evidence.set(a.title, a.failureMessages.join('\n'));
    }
  }
  return { ...run, cells };
}

/**
 * The whole text of a failure of the Report: jest's full message when the
 * run has it, else the Report's first line (a spec file that crashed before
 * its tests has no test of that title).
 */
export function evidenceOf(details: RunDetails | undefined, section: string, source: string, failure: { test: string; message: string }): string {
  return details?.cells.get(cellKey(section, source))?.evidence.get(failure.test) ?? failure.message;
}

/** How long the cell's checks took, when jest said. */
export function durationOf(details: RunDetails | undefined, section: string, source: string): number | undefined {
  return details?.cells.get(cellKey(section, source))?.ms;
}
