import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { ADMIN_TOKEN, TestApp } from '../support/app';

export const CSV = 'text/csv';
export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Posts a file to the import as the body, as a browser or curl --data-binary would. */
export async function upload(app: TestApp, body: Buffer | string, type: string = CSV, officeId = 'office-1'): Promise<{ status: number; body: any }> {
  const res = await fetch(`${app.server.url}/api/offices/${officeId}/customers/import`, {
    method: 'POST',
    body: new Uint8Array(typeof body === 'string' ? Buffer.from(body, 'utf8') : body),
    headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': type },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** Downloads a workbook through the admin API. */
export async function download(app: TestApp, path: string): Promise<{ status: number; type: string | null; disposition: string | null; bytes: Buffer }> {
  const res = await fetch(`${app.server.url}${path}`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  return { status: res.status, type: res.headers.get('content-type'), disposition: res.headers.get('content-disposition'), bytes: Buffer.from(await res.arrayBuffer()) };
}

/** A CSV text from rows (cells quoted when they need it), CRLF line ends as Excel writes them. */
export function csvText(rows: string[][]): string {
  const cell = (c: string) => (/[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : c);
  return `${rows.map((r) => r.map(cell).join(',')).join('\r\n')}\r\n`;
}

/** UTF-8 with a byte-order mark: Excel's "CSV UTF-8 (逗号分隔)". */
export const utf8Bom = (text: string): Buffer => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text, 'utf8')]);

/** GBK: what Excel on a Chinese Windows writes as "CSV (逗号分隔)". */
export const gbk = (text: string): Buffer => iconv.encode(text, 'gbk');

/** An XLSX workbook whose first sheet holds `rows` (cells as exceljs takes them). */
export async function xlsxFile(rows: unknown[][], format: (sheet: ExcelJS.Worksheet) => void = () => undefined): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('询盘统计表');
  for (const row of rows) sheet.addRow(row);
  format(sheet);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** Reads every row of a workbook's first sheet as arrays of cell values. */
export async function xlsxRowsOf(bytes: Buffer): Promise<unknown[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  const rows: unknown[][] = [];
  workbook.worksheets[0].eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** The inquiry sheet's Chinese header. */
export const ZH_HEADER = ['序号', '姓名', '公司', '电话', '邮箱', '地区', '分类', '询盘日期', '产品', '询盘内容'];
