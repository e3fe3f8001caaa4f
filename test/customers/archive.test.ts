import { recountTallies } from '../../src/db/visit-tallies';
import { describe, expect, it } from 'vitest';
import { Customer, Visit, VisitStatus } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { csvText, download, upload, XLSX, xlsxRowsOf } from './support';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));

const SHEET = csvText([
  ['客户编号', '姓名', '公司', '电话', '邮箱', '地区', '分类', '询盘日期', '产品', '询盘内容'],
  ['C-1', '张伟', '华建机械', '13800138000', 'zw@huajian.cn', '华东', 'A类', '2026-11-03', '挖掘机', '=HYPERLINK("http://evil.example","点这里")'],
  ['', '李娜', '', '13900001111', '', '华南', 'B类', '', '装载机', ''],
  ['C-3', '王芳', '鑫源贸易', '+852 9123 4567', '', '香港', 'A类', '2026-11-06', '叉车', '要\n两台'],
  ['', '赵磊', '', '13700003333', '', '西南', '', '', '', ''],
]);

describe('the customer archive', () => {
  it('lists customers in pages, by category, with the counts per category', async () => {
    expect((await upload(app, SHEET)).body).toMatchObject({ imported: 4, rejected: [] });
    const first = await app.api('GET', '/api/offices/office-1/customers?limit=3');
    expect(first.status).toBe(200);
    expect(first.body.customers.map((c: { name: string }) => c.name)).toEqual(['张伟', '李娜', '王芳']);
    expect(first.body.categories).toEqual(
      expect.arrayContaining([
        { category: 'A类', customers: 2 },
        { category: 'B类', customers: 1 },
        { category: null, customers: 1 },
      ]),
    );
    const second = await app.api('GET', `/api/offices/office-1/customers?limit=3&cursor=${first.body.nextCursor}`);
    expect(second.body.customers.map((c: { name: string }) => c.name)).toEqual(['赵磊']);
    expect(second.body.nextCursor).toBeNull();
    const a = await app.api('GET', `/api/offices/office-1/customers?category=${encodeURIComponent('A类')}`);
    expect(a.body.customers.map((c: { name: string }) => c.name)).toEqual(['张伟', '王芳']);
    expect(a.body.customers[0]).toMatchObject({ externalId: 'C-1', company: '华建机械', phone: '13800138000', region: '华东', inquiryDate: '2026-11-03', product: '挖掘机' });
  });

  it('shows one customer with the visits that name them; 404 for another office\'s or an unknown id', async () => {
    await upload(app, SHEET);
    const zhang = await app.db.getRepository(Customer).findOneByOrFail({ phone: '13800138000' });
    const empty = await app.api('GET', `/api/offices/office-1/customers/${zhang.id}`);
    expect(empty.status).toBe(200);
    expect(empty.body).toMatchObject({ id: zhang.id, name: '张伟', visits: [] });
    const at = new Date('2026-12-07T01:00:00Z');
    await app.db.getRepository(Visit).save({
      officeId: 'office-1',
      kind: 'campaign',
      purpose: 'main',
      status: VisitStatus.Planned,
      quarter: '2026-Q4',
      opensAt: at,
      closesAt: new Date('2026-12-11T10:00:00Z'),
      campaignId: 'CAMP-1',
      customerId: String(zhang.id),
      createdAt: at,
      updatedAt: at,
    });
    await recountTallies(app.db.manager); // written straight into the table
    const page = await app.api('GET', `/api/offices/office-1/customers/${zhang.id}`);
    expect(page.body.visits).toEqual([expect.objectContaining({ kind: 'campaign', status: 'planned', campaignId: 'CAMP-1', dueFrom: '2026-12-07T01:00:00.000Z' })]);
    expect((await app.api('GET', `/api/offices/office-2/customers/${zhang.id}`)).status).toBe(404);
    expect((await app.api('GET', '/api/offices/office-1/customers/999999')).status).toBe(404);
    expect((await app.api('GET', '/api/offices/office-1/customers/abc')).status).toBe(400);
    expect((await app.api('GET', '/api/offices/office-9/customers')).status).toBe(404);
  });

  it('exports every customer as XLSX with the import\'s headers, texts never formulas, and imports the export back unchanged', async () => {
    await upload(app, SHEET);
    const file = await download(app, '/api/offices/office-1/customers.xlsx');
    expect(file.status).toBe(200);
    expect(file.type).toBe(XLSX);
    expect(file.disposition).toContain(`filename*=UTF-8''${encodeURIComponent('客户档案-office-1.xlsx')}`);
    const rows = await xlsxRowsOf(file.bytes);
    // The import's headers, then the last call's columns (which the import passes over).
    expect(rows[0]).toEqual(['客户编号', '姓名', '公司', '电话', '邮箱', '企业微信', '微信客户', '钉钉', '地区', '分类', '询盘日期', '产品', '询盘内容', '最近回访', '最近回访接通', '最近回访询盘有效']);
    expect(rows).toHaveLength(5);
    expect(rows[1].slice(0, 4)).toEqual(['C-1', '张伟', '华建机械', '13800138000']);
    expect(rows[1][12]).toBe('=HYPERLINK("http://evil.example","点这里")');
    expect(file.bytes.includes(Buffer.from('<f>'))).toBe(false);

    const byCategory = await download(app, `/api/offices/office-1/customers?format=xlsx&category=${encodeURIComponent('B类')}`);
    expect((await xlsxRowsOf(byCategory.bytes)).map((r) => r[1])).toEqual(['姓名', '李娜']);

    const before = await app.db.getRepository(Customer).find({ order: { id: 'ASC' } });
    app.clock.advance(3_600_000);
    const again = await upload(app, file.bytes, XLSX);
    expect(again.body).toMatchObject({ imported: 0, updated: 4, rejected: [] });
    const after = await app.db.getRepository(Customer).find({ order: { id: 'ASC' } });
    const fields = (c: Customer) => ({ ...c, updatedAt: undefined });
    expect(after.map(fields)).toEqual(before.map(fields));
  });
});
