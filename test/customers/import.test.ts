import { request } from 'node:http';
import { describe, expect, it } from 'vitest';
import { Customer } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { rawRequest } from '../support/raw-http';
import { ADMIN_TOKEN } from '../support/app';
import { csvText, gbk, upload, utf8Bom, XLSX, xlsxFile, ZH_HEADER } from './support';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));

const customers = () => app.db.getRepository(Customer).find({ order: { id: 'ASC' } });
const byPhone = async (phone: string) => app.db.getRepository(Customer).findOneByOrFail({ phone });

/** An inquiry sheet as Excel saves it: a title row, the header, customers, a blank line. */
const SHEET = [
  ['2026年11月询盘统计表'],
  ZH_HEADER,
  ['1', '张伟', '华建机械有限公司', '+86 138-0013-8000', 'zhangwei@huajian.cn', '华东', 'A类', '2026/11/3', '挖掘机', '询问 20 吨挖掘机的价格，\n需要含税报价'],
  ['2', '李娜', '', '(0755) 8888-6666', '', '华南', 'B类', '2026年11月5日', '装载机', ''],
  ['3', '王芳', '鑫源贸易', '0086 139 0000 1111', 'not-an-email', '华北', 'A类', '2026-11-06', '叉车', ''],
  ['4', '赵磊', '', '12345', '', '西南', 'C类', '2026-13-01', '', ''],
  [''],
  ['5', '刘洋', '', '13800138000', '', '华东', 'A类', '2026-11-08', '挖掘机', '重复的电话'],
  ['6', '陈静', '远航物流', '+852 9123 4567', 'chen@yuanhang.hk', '香港', 'B类', '', '起重机', ''],
];

describe('POST /api/offices/:officeId/customers/import', () => {
  it('imports a UTF-8 CSV with a BOM: phones in one form, bad rows reported by line and column, the rest stored', async () => {
    const res = await upload(app, utf8Bom(csvText(SHEET)));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 3, updated: 0, format: 'csv', encoding: 'utf-8' });
    expect(res.body.rejected).toEqual([
      { line: 6, column: '邮箱', field: 'email', message: 'is not an e-mail address' },
      { line: 7, column: '电话', field: 'phone', message: expect.stringContaining('is not a mainland mobile') },
      { line: 7, column: '询盘日期', field: 'inquiryDate', message: expect.stringContaining('is not a date') },
      { line: 9, column: '电话', field: 'phone', message: 'repeats the phone of line 3' },
    ]);
    const stored = await customers();
    expect(stored.map((c) => [c.name, c.phone])).toEqual([
      ['张伟', '13800138000'],
      ['李娜', '075588886666'],
      ['陈静', '+85291234567'],
    ]);
    expect(stored[0]).toMatchObject({
      officeId: 'office-1',
      company: '华建机械有限公司',
      email: 'zhangwei@huajian.cn',
      region: '华东',
      category: 'A类',
      inquiryDate: '2026-11-03',
      product: '挖掘机',
      inquiry: '询问 20 吨挖掘机的价格，\n需要含税报价',
    });
    expect(stored[1]).toMatchObject({ company: null, inquiryDate: '2026-11-05', inquiry: null });
  });

  it('imports a GBK CSV from Excel on a Chinese Windows, detected without being told', async () => {
    const res = await upload(app, gbk(csvText(SHEET.slice(1, 4))));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, rejected: [], encoding: 'gb18030' });
    expect(await byPhone('13800138000')).toMatchObject({ name: '张伟', company: '华建机械有限公司', inquiry: '询问 20 吨挖掘机的价格，\n需要含税报价' });
  });

  it('imports an XLSX workbook: English headers, phones and dates as Excel stores them', async () => {
    const file = await xlsxFile(
      [
        ['Name', 'Company', 'Phone', 'E-mail', 'Region', 'Category', 'Inquiry Date', 'Product', 'Inquiry', 'Notes'],
        ['Zhang Wei', 'Huajian', 13800138000, 'zw@huajian.cn', 'East', 'A', new Date(Date.UTC(2026, 10, 3)), 'Excavator', { richText: [{ text: 'price of a ' }, { text: '20 t', font: { bold: true } }, { text: ' excavator' }] }, 'x'],
        ['Li Na', null, '+86 139 0000 1111', null, 'South', 'B', 46332, 'Loader', null, null],
        ['Wang Fang', null, 'call me', null, null, 'A', null, null, null, null],
      ],
      (sheet) => (sheet.getCell('G2').numFmt = 'yyyy-mm-dd'),
    );
    const res = await upload(app, file, XLSX);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ imported: 2, updated: 0, format: 'xlsx', encoding: null });
    expect(res.body.rejected).toEqual([{ line: 4, column: 'Phone', field: 'phone', message: expect.stringContaining('is not a phone number') }]);
    expect(await byPhone('13800138000')).toMatchObject({ name: 'Zhang Wei', inquiryDate: '2026-11-03', inquiry: 'price of a 20 t excavator', category: 'A' });
    // A day number without a date format is still the day Excel means: 46332 is 2026-11-06.
    expect(await byPhone('13900001111')).toMatchObject({ name: 'Li Na', inquiryDate: '2026-11-06' });
  });

  it('imports Excel\'s "Unicode text": UTF-16 with its BOM, tab-separated', async () => {
    const text = '姓名\t电话\t公司\r\n张伟\t138 0013 8000\t华建, 机械\r\n';
    const res = await upload(app, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]), 'text/plain');
    expect(res.body).toMatchObject({ imported: 1, rejected: [], encoding: 'utf-16le' });
    expect(await byPhone('13800138000')).toMatchObject({ name: '张伟', company: '华建, 机械' });
  });

  it('refuses a workbook without the name column with 400, and serves the next import as usual', async () => {
    // Thirty rows: the reader is left in the middle of the sheet when the header is given up on.
    const rows = [['公司', '电话'], ...Array.from({ length: 30 }, (_, i) => [`华建${i}`, `1380013${String(i).padStart(4, '0')}`])];
    const res = await upload(app, await xlsxFile(rows), XLSX);
    expect([res.status, res.body.error.code]).toEqual([400, 'missing_columns']);
    const next = await upload(app, await xlsxFile([['姓名', '电话'], ['张伟', '13800138000']]), XLSX);
    expect(next.body).toMatchObject({ imported: 1, rejected: [] });
  });

  it('upserts by phone (whatever its spelling) and by external id; a blank cell keeps what is stored', async () => {
    const first = csvText([
      ['客户编号', '姓名', '电话', '邮箱', '分类'],
      ['C-001', '张伟', '13800138000', 'zw@huajian.cn', 'A类'],
      ['', '李娜', '13900001111', 'ln@example.cn', 'B类'],
    ]);
    expect((await upload(app, first)).body).toMatchObject({ imported: 2, updated: 0, rejected: [] });
    const [zhang, li] = await customers();
    const second = csvText([
      ['externalId', 'name', 'phone', 'email', 'category'],
      ['C-001', '张伟', '+86 186 0000 2222', '', 'VIP'],
      ['', '李娜（已婚）', '139-0000-1111', '', ''],
      ['C-003', '孙强', '13700003333', '', 'C类'],
    ]);
    const res = await upload(app, second);
    expect(res.body).toMatchObject({ imported: 1, updated: 2, rejected: [] });
    const after = await customers();
    expect(after).toHaveLength(3);
    expect(after[0]).toMatchObject({ id: zhang.id, externalId: 'C-001', phone: '18600002222', email: 'zw@huajian.cn', category: 'VIP' });
    expect(after[1]).toMatchObject({ id: li.id, name: '李娜（已婚）', phone: '13900001111', email: 'ln@example.cn', category: 'B类' });
    expect(after[0].createdAt.getTime()).toBe(zhang.createdAt.getTime());
  });

  it('refuses a row whose phone is another customer\'s, and a second row for the same customer', async () => {
    await upload(app, csvText([['客户编号', '姓名', '电话'], ['C-1', '张伟', '13800138000'], ['C-2', '李娜', '13900001111']]));
    const res = await upload(
      app,
      csvText([
        ['客户编号', '姓名', '电话'],
        ['C-1', '张伟', '13900001111'],
        ['C-9', '王芳', '13800138000'],
        ['', '张伟', '13800138000'],
        ['C-2', '李娜', '13600000000'],
        ['', '李娜', '139 0000 1111'],
      ]),
    );
    expect(res.body.rejected).toEqual([
      { line: 2, column: '电话', field: 'phone', message: 'is the phone of another customer (with another external id)' },
      { line: 3, column: '客户编号', field: 'externalId', message: 'differs from the external id of the customer with this phone' },
      { line: 6, column: '电话', field: 'phone', message: 'describes the same customer as line 5' },
    ]);
    expect(res.body).toMatchObject({ imported: 0, updated: 2 });
    expect((await customers()).map((c) => [c.externalId, c.phone])).toEqual([
      ['C-1', '13800138000'],
      ['C-2', '13600000000'],
    ]);
  });

  it('reads a workbook of long inquiries row for row however it is batched, and finds repeats and matches across the whole file', async () => {
    // Long Chinese text: the XML reaches the reader in chunks of 16 KiB, and many of its
    // three-byte characters straddle two of them (exceljs 4.4 alone decoded each chunk by itself
    // and stored such a character as two U+FFFD; patches/exceljs+4.4.0.patch decodes the stream).
    const inquiry = (i: number) => `询盘 ${i}：${'20吨挖掘机的价格与交货期，含税，另询配件。'.repeat(40 + (i % 7))}`;
    const rows = Array.from({ length: 600 }, (_, i) => [`C-${i}`, `Customer ${i}`, `1380000${String(i).padStart(4, '0')}`, inquiry(i)]);
    rows.push(['C-599', 'Repeat', '13900000000', '']); // line 602: the external id of line 601
    rows.push(['', 'Repeat', '13800000007', '']); // line 603: the phone of line 9
    const file = await xlsxFile([['externalId', 'name', 'phone', 'inquiry'], ...rows]);
    const first = await upload(app, file, XLSX);
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const repeats = [
      { line: 602, column: 'externalId', field: 'externalId', message: 'repeats the external id of line 601' },
      { line: 603, column: 'phone', field: 'phone', message: 'repeats the phone of line 9' },
    ];
    expect(first.body).toMatchObject({ imported: 600, updated: 0, rejected: repeats });
    const second = await upload(app, file, XLSX);
    expect(second.body).toMatchObject({ imported: 0, updated: 600, rejected: repeats });
    const stored = await customers();
    expect(stored.map((c) => [c.externalId, c.inquiry])).toEqual(rows.slice(0, 600).map(([id], i) => [id, inquiry(i)]));
  });

  it('takes external ids without case, as MySQL/MariaDB compares them', async () => {
    const res = await upload(app, csvText([['客户编号', '姓名', '电话'], ['C-7', '张伟', '13800138000'], ['c-7', '张伟', '13900001111']]));
    expect(res.body.rejected).toEqual([{ line: 3, column: '客户编号', field: 'externalId', message: 'repeats the external id of line 2' }]);
    expect(await customers()).toHaveLength(1);
  });

  it.each([
    ['a PDF', Buffer.from('%PDF-1.7\n%\u00e2\u00e3\n1 0 obj\u0000'), 'application/octet-stream', 'unsupported_file', 'neither CSV text nor an XLSX'],
    ['an Excel 97–2003 .xls', Buffer.concat([Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]), Buffer.alloc(512)]), 'application/vnd.ms-excel', 'unsupported_file', '.xls'],
    ['a ZIP that is no workbook', Buffer.from('504b0304140000000800', 'hex'), XLSX, 'unsupported_file', 'XLSX'],
    ['an empty body', Buffer.alloc(0), 'text/csv', 'empty_file', 'empty'],
    ['a header without the name column', csvText([['电话', '公司'], ['13800138000', 'x']]), 'text/csv', 'missing_columns', '姓名/name'],
    ['a header without phone or external id', csvText([['姓名', '公司'], ['张伟', 'x']]), 'text/csv', 'missing_columns', '电话/phone'],
    ['a header naming the phone twice', csvText([['姓名', '电话', 'phone'], ['张伟', '13800138000', '13800138000']]), 'text/csv', 'duplicate_column', '电话'],
    ['a UTF-8 BOM before GBK bytes', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), gbk(csvText([['姓名', '电话'], ['张伟', '13800138000']]))]), 'text/csv', 'undecodable', 'not UTF-8'],
    ['a quote never closed', csvText([['姓名', '电话']]) + '张伟,"13800138000\r\n李娜,13900001111\r\n', 'text/csv', 'invalid_csv', 'line 2'],
  ])('refuses %s with 400 and stores nothing', async (_what, body, type, code, words) => {
    const res = await upload(app, body, type);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toContain(words);
    expect(await customers()).toEqual([]);
  });

  it('refuses a file undecodable deep inside (after the first batches) with its line, and stores none of it', async () => {
    await upload(app, csvText([['姓名', '电话'], ['老客户', '13800138000']]));
    const rows = [['姓名', '电话', '地区']];
    for (let i = 0; i < 1_200; i++) rows.push([`客户${i}`, `135${String(i).padStart(8, '0')}`, '华东']);
    const good = gbk(csvText(rows));
    // 0x81 0x20 decodes to nothing in GB18030 (and is no UTF-8 either): on line 1,101.
    const at = good.indexOf(gbk('客户1099,'));
    const broken = Buffer.concat([good.subarray(0, at), Buffer.from([0x81, 0x20]), good.subarray(at)]);
    const res = await upload(app, broken);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'undecodable', details: { line: 1_101 } });
    expect((await customers()).map((c) => c.name)).toEqual(['老客户']);
  });

  it('answers 413 to a streamed (chunked) upload once it passes 50 MiB, and stores nothing', async () => {
    const url = new URL(app.server.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request(
        { host: url.hostname, port: url.port, method: 'POST', path: '/api/offices/office-1/customers/import', headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv' } },
        (res) => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      const line = Buffer.from(`张伟,13800138000,${'很长的询盘内容'.repeat(40)}\r\n`);
      const chunk = Buffer.concat(Array.from({ length: Math.ceil((1024 * 1024) / line.length) }, () => line));
      req.write('姓名,电话,询盘内容\r\n');
      for (let sent = 0; sent <= 51 * 1024 * 1024; sent += chunk.length) req.write(chunk);
      req.end();
    });
    expect(status).toBe(413);
    expect(await customers()).toEqual([]);
  });

  it('answers 413 past 50 MiB, 415 for a JSON body, 404 for an unknown office, 401 without the token', async () => {
    const big = await rawRequest(app.server.url, {
      method: 'POST',
      path: '/api/offices/office-1/customers/import',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'text/csv', 'content-length': String(60 * 1024 * 1024) },
      body: '姓名,电话\r\n',
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.text).error.code).toBe('payload_too_large');
    const json = await upload(app, JSON.stringify([{ name: '张伟' }]), 'application/json');
    expect([json.status, json.body.error.code]).toEqual([415, 'unsupported_media_type']);
    const unknown = await upload(app, csvText([['姓名', '电话'], ['张伟', '13800138000']]), 'text/csv', 'office-9');
    expect([unknown.status, unknown.body.error.code]).toEqual([404, 'not_found']);
    const anonymous = await fetch(`${app.server.url}/api/offices/office-1/customers/import`, { method: 'POST', body: 'x', headers: { 'content-type': 'text/csv' } });
    expect(anonymous.status).toBe(401);
    expect(await customers()).toEqual([]);
  });
});
