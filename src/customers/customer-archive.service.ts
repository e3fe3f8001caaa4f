import { PassThrough, Readable } from 'node:stream';
import { DataSource } from 'typeorm';
import { Customer, Office, Visit } from '../../entities';
import { inquiryShares, InquiryShareRow } from '../db/customer-calls-store';
import { customerPage, customersByCategory } from '../db/customer-store';
import { Logger } from '../log';
import { officeZone } from '../offices/office-zone';
import { customerCalls } from './customer-calls';
import { writeCustomerWorkbook } from './customer-export';

/**
 * The customer archive (客户档案, docs/rules.md §8): an office's customers by category in
 * pages, one customer with everything known of them, and the whole archive as a workbook.
 */
export class CustomerArchive {
  constructor(
    private readonly dataSource: DataSource,
    private readonly log: Logger,
    private readonly defaultTimeZone: string,
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

  /**
   * One customer with everything known of them: the visits that name them and, for each campaign
   * call, its record (date, callers, method, reached, answers, needs, opinions, complaints,
   * inquiry valid, follow-up), oldest first; null when unknown.
   */
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
      calls: await customerCalls(this.dataSource.manager, officeId, id),
      timeZone: await this.zoneOf(officeId),
    };
  }

  /** The share of valid inquiries per region and per product (docs/rules.md §8), as data. */
  async inquiryShares(query: { officeId: string; category?: string }) {
    const manager = this.dataSource.manager;
    const [byRegion, byProduct] = [await inquiryShares(manager, { ...query, by: 'region' }), await inquiryShares(manager, { ...query, by: 'product' })];
    const share = (rows: InquiryShareRow[]) => rows.map((r) => ({ ...r, share: r.reached > 0 ? r.valid / r.reached : null }));
    return { byRegion: share(byRegion), byProduct: share(byProduct) };
  }

  /**
   * Every customer of the office (or of a category) as an XLSX workbook for sales and marketing
   * (src/customers/customer-export.ts), written as it streams.
   */
  xlsx(query: { officeId: string; category?: string }): Readable {
    const out = new PassThrough();
    void this.zoneOf(query.officeId)
      .then((zone) => writeCustomerWorkbook(this.dataSource, out, { ...query, zone }))
      .catch((err: unknown) => {
        this.log.error({ err: { message: (err as Error)?.message } }, 'customer export failed');
        out.destroy(err as Error);
      });
    return out;
  }

  private async zoneOf(officeId: string): Promise<string> {
    const office = await this.dataSource.getRepository(Office).findOneBy({ id: officeId });
    return office ? officeZone(office, this.defaultTimeZone) : this.defaultTimeZone;
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
