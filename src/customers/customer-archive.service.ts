import { PassThrough, Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Customer, Visit } from '../../entities';
import { customerPage, customersByCategory } from '../db/customer-store';
import { Logger } from '../log';
import { CUSTOMER_COLUMNS } from './customer-columns';

/** Customers read per statement while writing the export. */
const EXPORT_PAGE = 1_000;

/**
 * The customer archive (客户档案, docs/rules.md §8): an office's customers by category in
 * pages, one customer with everything known of them, and the whole archive as a workbook.
 */
export class CustomerArchive {
  constructor(
    private readonly dataSource: DataSource,
    private readonly log: Logger,
  ) {}

  /** A page of customers in id order (of one category, or all), and the counts per category. */
  async list(query: { officeId: string; category?: string; cursor?: string; limit: number }) {
    const manager = this.dataSource.manager;
    const rows = await customerPage(manager, { officeId: query.officeId, category: query.category, afterId: decodeCursor(query.cursor), limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return {
      customers: page.map(customerView),
      nextCursor: rows.length > query.limit ? encodeCursor(page[page.length - 1].id) : null,
      categories: await customersByCategory(manager, query.officeId),
    };
  }

  /** One customer with their visits (campaign calls name the customer), oldest first; null when unknown. */
  async get(officeId: string, id: number) {
    const customer = await this.dataSource.getRepository(Customer).findOneBy({ id, officeId });
    if (!customer) return null;
    const visits = await this.dataSource.getRepository(Visit).find({ where: { officeId, customerId: String(id) }, order: { id: 'ASC' } });
    return {
      ...customerView(customer),
      visits: visits.map((v) => ({
        id: v.id,
        kind: v.kind,
        status: v.status,
        campaignId: v.campaignId,
        dueFrom: v.opensAt.toISOString(),
        dueBy: v.closesAt.toISOString(),
        method: v.method,
        recordedAt: v.recordedAt?.toISOString() ?? null,
        answers: v.details,
      })),
    };
  }

  /**
   * Every customer of the office (or of a category) as an XLSX workbook, one sheet 客户档案 with
   * the import's Chinese headers, so the file can be edited and imported again. Written as it
   * streams, a page of customers at a time: memory does not grow with the archive.
   */
  xlsx(query: { officeId: string; category?: string }): Readable {
    const out = new PassThrough();
    void this.writeXlsx(out, query).catch((err: unknown) => {
      this.log.error({ err: { message: (err as Error)?.message } }, 'customer export failed');
      out.destroy(err as Error);
    });
    return out;
  }

  private async writeXlsx(out: PassThrough, query: { officeId: string; category?: string }): Promise<void> {
    const { default: Excel } = await import('exceljs');
    const workbook = new Excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
    workbook.creator = 'Huifang';
    const sheet = workbook.addWorksheet('客户档案', { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = CUSTOMER_COLUMNS.map((c) => ({ header: c.zh, key: c.field, width: c.field === 'inquiry' ? 60 : c.field === 'company' ? 30 : 16 }));
    sheet.getRow(1).font = { bold: true };
    sheet.getRow(1).commit();
    let afterId = 0;
    for (;;) {
      const page = await customerPage(this.dataSource.manager, { ...query, afterId, limit: EXPORT_PAGE });
      for (const customer of page) sheet.addRow(CUSTOMER_COLUMNS.map((c) => customer[c.field])).commit();
      if (page.length < EXPORT_PAGE) break;
      afterId = page[page.length - 1].id;
    }
    sheet.commit();
    await workbook.commit();
  }
}

export function customerView(c: Customer) {
  return {
    id: c.id,
    externalId: c.externalId,
    name: c.name,
    company: c.company,
    phone: c.phone,
    email: c.email,
    wecomUserId: c.wecomUserId,
    wecomExternalUserId: c.wecomExternalUserId,
    dingtalkUserId: c.dingtalkUserId,
    region: c.region,
    category: c.category,
    inquiryDate: c.inquiryDate,
    product: c.product,
    inquiry: c.inquiry,
    createdAt: c.createdAt.toISOString(),
    updatedAt: c.updatedAt.toISOString(),
  };
}

const encodeCursor = (id: number): string => Buffer.from(`c:${id}`).toString('base64url');

function decodeCursor(cursor: string | undefined): number {
  if (!cursor) return 0;
  const match = /^c:(\d+)$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : Number.MAX_SAFE_INTEGER;
}
