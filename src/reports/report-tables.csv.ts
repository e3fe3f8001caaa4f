import { stringify } from 'csv-stringify/sync';
import type { ReportTable, TableCell } from './stats-tables';

/**
 * Report tables as one CSV file (csv-stringify): each table is its title on a line, its
 * header, its rows, then an empty line. Shares are written as fractions (0.75), the value
 * the XLSX holds under its percentage format. A UTF-8 BOM makes Excel read the Chinese right.
 * Every text cell is neutralised against formula injection (`neutraliseFormula`): office and
 * staff names, unit ids, matters and opinions come from outside.
 */
export function tablesToCsv(tables: ReportTable[]): string {
  const records: (string | number)[][] = [];
  for (const table of tables) {
    records.push([neutraliseFormula(table.title)]);
    records.push(table.headers.map(neutraliseFormula));
    for (const row of table.rows) records.push(row.map(csvCell));
    records.push([]);
  }
  // Any line break inside a cell is quoted, a lone CR too: a reader must not split the row there.
  return stringify(records, { bom: true, record_delimiter: 'windows', quoted_match: /[\r\n]/ });
}

function csvCell(cell: TableCell): string | number {
  if (cell === null) return '';
  // Numbers (negative ones too) are written as numbers: a number is never a formula.
  if (typeof cell === 'object') return cell.percent;
  return typeof cell === 'number' ? cell : neutraliseFormula(cell);
}

/** What a spreadsheet may read as the start of a formula (OWASP, CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;
/** A plain decimal number, signed or not: a spreadsheet reads it as that number, not a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A text cell made safe to open in a spreadsheet, as OWASP advises: text beginning with `=`,
 * `+`, `-`, `@`, a tab or a carriage return gets a leading single quote, so it is shown as
 * text and never run (`=HYPERLINK(…)`, `@SUM(…)`, `-2+3`). Text that is a plain number
 * ("-3", a basement's unit) stays as it is. csv-stringify quotes cells with commas, quotes
 * or line breaks (and doubles the quotes inside).
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}
