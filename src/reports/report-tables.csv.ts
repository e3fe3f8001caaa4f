import { stringify } from 'csv-stringify/sync';
import type { ReportTable, TableCell } from './stats-tables';

/**
 * Report tables as one CSV file (csv-stringify): each table is its title on a line, its
 * header, its rows, then an empty line. Shares are written as fractions (0.75), the value
 * the XLSX holds under its percentage format. A UTF-8 BOM makes Excel read the Chinese right.
 */
export function tablesToCsv(tables: ReportTable[]): string {
  const records: (string | number)[][] = [];
  for (const table of tables) {
    records.push([table.title]);
    records.push(table.headers);
    for (const row of table.rows) records.push(row.map(csvCell));
    records.push([]);
  }
  return stringify(records, { bom: true, record_delimiter: 'windows' });
}

function csvCell(cell: TableCell): string | number {
  if (cell === null) return '';
  if (typeof cell === 'object') return cell.percent;
  return cell;
}
