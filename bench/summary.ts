import { type Headline, table } from './benchmark';

/**
 * The summary RESULTS.md opens with: one line per headline figure, each linking to the section of the
 * benchmark it comes from. A run of some benchmarks replaces their lines and keeps the others'.
 */

export const summaryTitle = 'Summary';

/** A line of the summary table: the section it comes from (by anchor), and its three cells. */
export interface SummaryRow {
  anchor: string;
  cells: [area: string, figure: string, value: string];
}

/** The anchor GitHub gives a heading, so a summary line links to its section. */
export const anchorOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');

/** The short name a summary line shows: a title up to its colon or parenthesis. */
const areaOf = (title: string) => title.split(/:| \(/)[0] ?? title;

export function summaryRows(title: string, headlines: readonly Headline[]): SummaryRow[] {
  const anchor = anchorOf(title);
  return headlines.map(({ figure, value }) => ({
    anchor,
    cells: [`[${areaOf(title)}](#${anchor})`, figure, value],
  }));
}

/** The lines of a summary section as an earlier run wrote it. */
export function previousRows(section: string): SummaryRow[] {
  return section
    .split('\n')
    .filter((line) => line.startsWith('| ['))
    .map((line) => {
      const [area = '', figure = '', value = ''] = line
        .slice(1, -1)
        .split(' | ')
        .map((cell) => cell.trim());
      return { anchor: /\]\(#([^)]+)\)/.exec(area)?.[1] ?? '', cells: [area, figure, value] };
    });
}

/**
 * The summary section: the lines of earlier runs whose benchmark did not run again, and this run's,
 * in the order of `titles` (the benchmarks' order in `npm run bench`).
 */
export function summarySection(
  titles: readonly string[],
  earlier: readonly SummaryRow[],
  fresh: readonly SummaryRow[],
): string {
  const rerun = new Set(fresh.map((row) => row.anchor));
  const anchors = titles.map(anchorOf);
  const order = (row: SummaryRow) => {
    const index = anchors.indexOf(row.anchor);
    return index < 0 ? anchors.length : index;
  };
  const rows = [...earlier.filter((row) => !rerun.has(row.anchor)), ...fresh].sort(
    (a, b) => order(a) - order(b),
  );
  const summary = table(
    [
      { header: 'benchmark', align: 'left' },
      { header: 'figure', align: 'left' },
      { header: 'value', align: 'right' },
    ],
    rows.map((row) => row.cells),
  );
  return `## ${summaryTitle}\n\n${summary.markdown}\n`;
}
