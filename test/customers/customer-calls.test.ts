import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TestApp, useAppWithOffice1 } from '../support/app';
import { seedCalls } from './call-fixture';
import { download, XLSX } from './support';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));

/** The figures of call-fixture.ts: [group, customers, reached, valid]. */
const BY_REGION = [
  [null, 1, 0, 0],
  ['华东', 4, 3, 1],
  ['华南', 2, 1, 1],
];
const BY_PRODUCT = [
  [null, 1, 0, 0],
  ['挖掘机', 5, 3, 1],
  ['装载机', 1, 1, 1],
];

const sorted = (rows: unknown[][]) => [...rows].sort((a, b) => String(a[0] ?? '').localeCompare(String(b[0] ?? '')));

describe('the customer archive with campaign calls (docs/rules.md §8)', () => {
  it('answers the share of valid inquiries per region and product: the latest reached call counts, unrecorded calls and other offices do not', async () => {
    await seedCalls(app);
    const res = await app.api('GET', '/api/offices/office-1/customers/inquiry-shares');
    expect(res.status).toBe(200);
    const rows = (list: Array<{ group: string | null; customers: number; reached: number; valid: number }>) => sorted(list.map((r) => [r.group, r.customers, r.reached, r.valid]));
    expect(rows(res.body.byRegion)).toEqual(sorted(BY_REGION));
    expect(rows(res.body.byProduct)).toEqual(sorted(BY_PRODUCT));
    expect(res.body.byRegion.find((r: { group: string }) => r.group === '华东').share).toBeCloseTo(1 / 3);
    expect(res.body.byRegion.find((r: { group: string | null }) => r.group === null).share).toBeNull();

    const a = await app.api('GET', `/api/offices/office-1/customers/inquiry-shares?category=${encodeURIComponent('A类')}`);
    expect(rows(a.body.byRegion)).toEqual([['华东', 3, 3, 1]]);
  });

  it('shows one customer with every call and its record, in the API and on the page', async () => {
    const ids = await seedCalls(app);
    const res = await app.api('GET', `/api/offices/office-1/customers/${ids['甲']}`);
    expect(res.status).toBe(200);
    expect(res.body.calls).toEqual([
      expect.objectContaining({
        recordedAt: '2026-12-01T02:00:00.000Z',
        method: 'phone',
        callers: [{ staffId: 'sp1', name: '赵专员' }],
        reached: true,
        inquiryValid: true,
        answers: [
          { question: '对销售人员的印象', answer: '专业，回复及时' },
          { question: '是否还在考虑', answer: '是' },
        ],
        needs: '需要两台 20 吨挖掘机',
        opinions: { presale: '报价清楚', sale: '交期偏长', aftersale: '还没用到' },
        complaints: '样本册寄得太慢',
        followUp: '下周寄送报价单',
      }),
    ]);
    const twice = await app.api('GET', `/api/offices/office-1/customers/${ids['丙']}`);
    expect(twice.body.calls.map((c: { inquiryValid: boolean; followUp: string | null }) => [c.inquiryValid, c.followUp])).toEqual([
      [true, null],
      [false, '再打一次；发资料'],
    ]);
    const planned = await app.api('GET', `/api/offices/office-1/customers/${ids['庚']}`);
    expect(planned.body.calls[0]).toMatchObject({ recordedAt: null, status: 'planned', callers: [{ staffId: 'sp1', name: '赵专员' }] });

    const page = await fetch(`${app.server.url}/api/offices/office-1/customers/${ids['甲']}/page`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'none'");
    const html = await page.text();
    // The call's date in the office's zone (Asia/Shanghai), who called, and every part of the record.
    for (const text of ['甲', '2026-12-01 10:00', '赵专员', '电话回访', '对销售人员的印象：专业，回复及时', '需要两台 20 吨挖掘机', '报价清楚', '交期偏长', '还没用到', '样本册寄得太慢', '下周寄送报价单']) {
      expect(html).toContain(text);
    }
    expect(html).toMatch(/是否接通<\/th><td><span class="yes">是/);
    // A customer's words are text on the page, never markup.
    const words = await (await fetch(`${app.server.url}/api/offices/office-1/customers/${ids['乙']}/page`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })).text();
    expect(words).toContain('&lt;b onclick=&quot;x()&quot;>太贵&lt;/b>');
    expect(words).not.toContain('<b onclick');
    expect((await fetch(`${app.server.url}/api/offices/office-1/customers/${ids['甲']}/page`)).status).toBe(401);
    expect((await app.api('GET', `/api/offices/office-2/customers/${ids['甲']}/page`)).status).toBe(404);
  });

  it('exports the archive with each customer\'s last call and a sheet of valid-inquiry shares per region and product', async () => {
    const ids = await seedCalls(app);
    const file = await download(app, '/api/offices/office-1/customers?format=xlsx');
    expect(file.status).toBe(200);
    expect(file.type).toBe(XLSX);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(file.bytes as unknown as ArrayBuffer);

    const archive = workbook.getWorksheet('客户档案')!;
    const header = (archive.getRow(1).values as unknown[]).slice(1);
    expect(header.slice(-3)).toEqual(['最近回访', '最近回访接通', '最近回访询盘有效']);
    const byName = new Map<string, unknown[]>();
    archive.eachRow((row, n) => {
      if (n > 1) byName.set(String(row.getCell(2).value), (row.values as unknown[]).slice(1));
    });
    expect(byName.size).toBe(7);
    const last = (name: string) => byName.get(name)!.slice(header.length - 3);
    expect(last('甲')).toEqual(['2026-12-01 10:00', '是', '是']);
    expect(last('丙')).toEqual(['2026-12-02 12:00', '是', '否']);
    expect(last('丁')).toEqual(['2026-12-01 13:00', '否']); // not reached: no word on the inquiry
    expect(byName.get('己')!.length).toBeLessThanOrEqual(header.length - 3);
    expect(ids['辛']).toBeDefined();

    const shares = workbook.getWorksheet('有效询盘占比')!;
    const rows: unknown[][] = [];
    shares.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const table = (title: string) => {
      const start = rows.findIndex((r) => r[0] === title);
      const end = rows.findIndex((r, i) => i > start && r[0] === '合计');
      return { header: rows[start + 1], groups: rows.slice(start + 2, end), total: rows[end] };
    };
    const region = table('按地区');
    expect(region.header).toEqual(['地区', '客户数', '已接通客户', '有效询盘', '有效询盘占比']);
    const figures = (groups: unknown[][]) => sorted(groups.map((g) => [g[0] === '（未填）' ? null : g[0], g[1], g[2], g[3]]));
    expect(figures(region.groups)).toEqual(sorted(BY_REGION));
    expect(region.groups.find((g) => g[0] === '华东')![4]).toBeCloseTo(1 / 3);
    expect(region.total.slice(0, 5)).toEqual(['合计', 7, 4, 2, 0.5]);
    expect(shares.getCell(`E${rows.indexOf(region.total) + 1}`).numFmt).toBe('0.0%');
    const product = table('按产品');
    expect(figures(product.groups)).toEqual(sorted(BY_PRODUCT));
    expect(product.total.slice(0, 5)).toEqual(['合计', 7, 4, 2, 0.5]);
  });
});
