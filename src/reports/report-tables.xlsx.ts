import type ExcelJS from 'exceljs';
import type { ReportTable } from './stats-tables';

/**
 * A new workbook by Huifang. exceljs is loaded on first use, not at start: it is a large
 * library that only report downloads and the quarterly archive need, and a server that never
 * writes a spreadsheet should not carry it in memory.
 */
export async function newWorkbook(): Promise<ExcelJS.Workbook> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.Workbook();
  workbook.creator = 'Huifang';
  return workbook;
}

/**
 * Adds report tables to a workbook (exceljs), one sheet per table named by its title: the
 * header in bold on row 1, frozen, then the rows. Shares are numbers with a percentage
 * format, so a spreadsheet can compute with them.
 */
export function addTableSheets(workbook: ExcelJS.Workbook, tables: ReportTable[]): void {
  for (const table of tables) {
    const sheet = workbook.addWorksheet(table.title, { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.addRow(table.headers).font = { bold: true };
    for (const row of table.rows) {
      const added = sheet.addRow(row.map((cell) => (cell !== null && typeof cell === 'object' ? cell.percent : cell)));
      row.forEach((cell, i) => {
        if (cell !== null && typeof cell === 'object') added.getCell(i + 1).numFmt = '0.0%';
      });
    }
    sheet.columns.forEach((column, i) => {
      const widest = Math.max(...[table.headers[i], ...table.rows.map((r) => r[i])].map((c) => displayWidth(c)));
      column.width = Math.min(60, Math.max(8, widest + 2));
    });
  }
}

/** Writes the workbook to bytes. */
export async function workbookBytes(workbook: ExcelJS.Workbook): Promise<Buffer> {
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function displayWidth(cell: unknown): number {
  if (cell === null || cell === undefined) return 0;
  const text = typeof cell === 'object' ? '100.0%' : String(cell);
  // CJK characters take two columns.
  let width = 0;
  for (const ch of text) width += ch.charCodeAt(0) > 0x2e80 ? 2 : 1;
  return width;
}
