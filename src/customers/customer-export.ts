import { PassThrough } from 'node:stream';
import type { Worksheet } from 'exceljs';
import { DateTime } from 'luxon';
import { DataSource } from 'typeorm';
import { lastCalls, inquiryShares, InquiryShareRow } from '../db/customer-calls-store';
import { customerPage } from '../db/customer-store';
import { readCallRecord } from './call-record';
import { CUSTOMER_COLUMNS } from './customer-columns';

/** Customers read per statement while writing the export. */
const EXPORT_PAGE = 1_000;

export interface ExportQuery {
  officeId: string;
  category?: string;
  /** The office's zone: the last call's date is written as its local time. */
  zone: string;
}

const yesNo = (value: boolean | null): string | null => (value === null ? null : value ? '是' : '否');

/**
 * The archive for sales and marketing (docs/rules.md §8, 4.5) as it streams into `out`: the sheet
 * 客户档案 with the import's Chinese headers (it can be edited and imported again: the columns
 * after them are ignored by the import) and each customer's last call — when, reached, inquiry
 * valid — a page of customers at a time; then the sheet 有效询盘占比, the share of valid inquiries
 * per region and per product, from two grouped statements. Memory does not grow with the archive.
 */
export async function writeCustomerWorkbook(dataSource: DataSource, out: PassThrough, query: ExportQuery): Promise<void> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Huifang';
  const sheet = workbook.addWorksheet('客户档案', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    ...CUSTOMER_COLUMNS.map((c) => ({ header: c.zh, key: c.field, width: c.field === 'inquiry' ? 60 : c.field === 'company' ? 30 : 16 })),
    { header: '最近回访', key: 'lastCallAt', width: 18 },
    { header: '最近回访接通', key: 'lastCallReached', width: 14 },
    { header: '最近回访询盘有效', key: 'lastCallInquiryValid', width: 18 },
  ];
  sheet.getRow(1).font = { bold: true };
  sheet.getRow(1).commit();
  let afterId = 0;
  for (;;) {
    const page = await customerPage(dataSource.manager, { officeId: query.officeId, category: query.category, afterId, limit: EXPORT_PAGE });
    const calls = await lastCalls(dataSource.manager, query.officeId, page.map((c) => c.id));
    for (const customer of page) {
      const call = calls.get(customer.id);
      const record = call ? readCallRecord(call.details) : null;
      const at = call ? DateTime.fromJSDate(call.recordedAt, { zone: query.zone }).toFormat('yyyy-MM-dd HH:mm') : null;
      sheet.addRow([...CUSTOMER_COLUMNS.map((c) => customer[c.field]), at, yesNo(record?.reached ?? null), yesNo(record?.inquiryValid ?? null)]).commit();
    }
    if (page.length < EXPORT_PAGE) break;
    afterId = page[page.length - 1].id;
  }
  sheet.commit();

  const shares = workbook.addWorksheet('有效询盘占比');
  shares.columns = [{ width: 18 }, { width: 10 }, { width: 14 }, { width: 12 }, { width: 14 }];
  writeShares(shares, '按地区', '地区', await inquiryShares(dataSource.manager, { ...query, by: 'region' }));
  shares.addRow([]).commit();
  writeShares(shares, '按产品', '产品', await inquiryShares(dataSource.manager, { ...query, by: 'product' }));
  shares.commit();
  await workbook.commit();
}

/**
 * One table of shares: a title row, the header, a row per group and the total. The share is
 * valid ÷ reached (a percentage cell), blank where no customer of the group was reached.
 */
function writeShares(sheet: Worksheet, title: string, groupHeader: string, rows: InquiryShareRow[]): void {
  const titleRow = sheet.addRow([title]);
  titleRow.font = { bold: true };
  titleRow.commit();
  const header = sheet.addRow([groupHeader, '客户数', '已接通客户', '有效询盘', '有效询盘占比']);
  header.font = { bold: true };
  header.commit();
  const total = { group: '合计', customers: 0, reached: 0, valid: 0 };
  for (const r of rows) {
    total.customers += r.customers;
    total.reached += r.reached;
    total.valid += r.valid;
  }
  for (const r of [...rows.map((r) => ({ ...r, group: r.group ?? '（未填）' })), total]) {
    const row = sheet.addRow([r.group, r.customers, r.reached, r.valid, r.reached > 0 ? r.valid / r.reached : null]);
    row.getCell(5).numFmt = '0.0%';
    if (r === total) row.font = { bold: true };
    row.commit();
  }
}
