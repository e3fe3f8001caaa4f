import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { ENTITIES, InboundEvent, QuarterArchive, QuarterArchiveChunk, Resident } from '../../entities';
import { ManualClock } from '../support/manual-clock';
import { JobName } from '../../src/jobs/job';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';
import { emptyAllTables, openTestDatabase } from '../support/database';
import { ReportsApp, startReportsApp } from '../reports/reports-app';

const IN_Q4 = '2026-11-26T07:00:05Z';
const LOCK = '2027-01-09T16:00:00Z'; // 10 January 2027 00:00 Shanghai
const RETENTION_END = '2029-01-09T16:00:00Z'; // two years after the lock

/** Personal data of residents known only from 2026-Q4. */
const GONE = ['张三', '13800000000', 'zhangsan', '李四', '13900000000', 'lisi', 'wmEXT99', '电梯异响', '请尽快修好，张三', '李四说门锁好了'];

describe('retention: a locked quarter is anonymised two years after its lock', () => {
  let web: TestApp;
  let app: ReportsApp;
  let clock: ManualClock;
  let db: DataSource;

  beforeAll(async () => {
    clock = new ManualClock(IN_Q4);
    db = await openTestDatabase();
    web = await startTestApp({ now: IN_Q4, db, overrides: { clock } });
    app = await startReportsApp({ now: IN_Q4, db, clock });
  });
  afterAll(async () => {
    await app.close();
    await web.close();
  });

  beforeEach(async () => {
    clock.set(IN_Q4);
    await emptyAllTables(db);
    await web.api('PUT', '/api/offices/office-1', OFFICE_1);
    const complete = (id: string, patch: Record<string, unknown>) =>
      // Signed at the shared clock's time (the test app's own clock stays where it started).
      web.sendEvent(workOrderEvent('completed', { id, completedAt: '2026-11-26T07:00:00Z', ...patch }), { timestamp: Math.floor(clock.now().getTime() / 1000) });
    // Through the webhook, as the work-order system sends them: residents with names, phones, chat ids.
    const p1 = await complete('WO-P1', {});
    const p2 = await complete('WO-P2', {
      kind: 'help', severity: null, department: null, unitId: 'C1-101', title: '门锁求助',
      resident: { id: 'R-99', name: '李四', phone: '13900000000', wecomUserId: 'lisi', wecomExternalUserId: 'wmEXT99', dingtalkUserId: null },
    });
    const p3 = await complete('WO-P3', {
      kind: 'help', severity: null, department: null, unitId: 'C2-202', title: '代收快递',
      resident: { id: 'R-77', name: '王五', phone: '13700000000', wecomUserId: 'wangwu', wecomExternalUserId: null, dingtalkUserId: null },
    });
    const [v1, v2, v3] = [p1, p2, p3].map((r) => r.body.visits[0].id as number);
    const [s1, s2, s3] = [p1, p2, p3].map((r) => r.body.visits[0].assignees.at(-1) as string);

    // Records with free text, confirmed by the residents in chat (the chat id is kept as "via").
    clock.set('2026-11-27T02:00:00Z');
    const answers = { quality: 5, effect: 4, satisfaction: 4, shortcomings: ['none'] };
    expect((await app.api('POST', `/api/visits/${v1}/record`, { body: { staffId: s1, method: 'phone', answers: { ...answers, suggestions: '请尽快修好，张三' }, notes: '张三 13800000000' } })).status).toBe(200);
    expect((await app.api('POST', `/api/visits/${v2}/record`, { body: { staffId: s2, method: 'phone', answers: { ...answers, satisfaction: 2 }, notes: '李四说门锁好了' } })).status).toBe(200);
    expect((await app.api('POST', `/api/visits/${v3}/record`, { body: { staffId: s3, method: 'onsite', answers } })).status).toBe(200);
    await app.lifecycle.run(v1, { type: 'confirm_by_resident' }, { kind: 'resident', via: 'wecom:zhangsan' });
    await app.lifecycle.run(v2, { type: 'confirm_by_resident' }, { kind: 'resident', via: 'wecom:lisi' });
    await app.api('POST', `/api/visits/${v2}/review`, { body: { reviewerId: 'sup1', verdict: 'unqualified', opinion: '李四不满意' } });
    // A chat callback from a resident, long processed by the time of the lock.
    await db.createQueryBuilder().insert().into(InboundEvent).values({
      source: 'wecom', eventId: 'cb-1', type: 'text_reply', subjectId: null, outcome: 'applied',
      payload: { type: 'text_reply', userId: 'zhangsan', text: '张三：已经修好了' }, receivedAt: clock.now(), processedAt: clock.now(),
    }).execute();

    // 王五 comes back in 2027-Q1: a quarter still kept, so 王五's data stays.
    clock.set('2027-01-20T02:00:00Z');
    const p4 = await complete('WO-P4', {
      kind: 'help', severity: null, department: null, unitId: 'C2-202', title: '代收快递', completedAt: '2027-01-20T02:00:00Z',
      resident: { id: 'R-77', name: '王五', phone: '13700000000', wecomUserId: 'wangwu', wecomExternalUserId: null, dingtalkUserId: null },
    });
    expect(p4.status).toBe(202);

    clock.set(LOCK);
    expect(await app.runJob(JobName.Archive)).toMatchObject({ locked: 1, failed: 0 });
  });

  /** Every row of every table, as text (the archive file's bytes left out: read separately). */
  async function databaseText(): Promise<string> {
    const tables: string[] = [];
    for (const entity of ENTITIES) {
      if (entity === QuarterArchiveChunk) continue;
      const table = db.getMetadata(entity).tableName;
      tables.push(JSON.stringify(await db.query(`SELECT * FROM ${db.driver.escape(table)}`)));
    }
    return tables.join('\n');
  }

  async function archiveFileText(): Promise<string> {
    const res = await app.api('GET', '/api/archives/office-1/2026-Q4.xlsx');
    expect(res.status).toBe(200);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const cells: string[] = [];
    workbook.eachSheet((sheet) => sheet.eachRow((row) => cells.push(JSON.stringify(row.values))));
    return cells.join('\n');
  }

  const figures = async () => {
    const { body } = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    const { archive: _archive, ...rest } = body;
    return rest;
  };

  it('keeps everything for two years', async () => {
    clock.set('2029-01-09T15:59:59Z');
    expect(await app.runJob(JobName.Archive)).toMatchObject({ anonymised: 0 });
    const text = await databaseText();
    for (const value of GONE) expect(text, value).toContain(value);
    expect(await archiveFileText()).toContain('张三');
  });

  it('then leaves no name, phone, chat id or free text of the quarter in the database, with the same statistics', async () => {
    clock.set(RETENTION_END);
    const before = await figures();
    expect(before.kinds.find((k: { kind: string }) => k.kind === 'help')).toMatchObject({ eligible: 2, done: 2 });
    expect(before.unqualified).toHaveLength(1);

    expect(await app.runJob(JobName.Archive)).toMatchObject({ anonymised: 1, failed: 0 });
    expect(await figures()).toEqual(before);

    const text = await databaseText();
    for (const value of GONE) expect(text, value).not.toContain(value);
    const file = await archiveFileText();
    for (const value of GONE) expect(file, value).not.toContain(value);

    // 王五 is still a resident of a kept quarter (2027-Q1).
    expect(text).toContain('王五');
    const residents = await db.getRepository(Resident).find({ order: { id: 'ASC' } });
    expect(residents.map((r) => [r.id, r.name, r.phone, r.wecomUserId, r.anonymisedAt?.toISOString() ?? null])).toEqual([
      ['R-77', '王五', '13700000000', 'wangwu', null],
      ['R-88', null, null, null, RETENTION_END.replace('Z', '.000Z')],
      ['R-99', null, null, null, RETENTION_END.replace('Z', '.000Z')],
    ]);
    const [archive] = await db.getRepository(QuarterArchive).find();
    expect(archive.anonymisedAt).toEqual(new Date(RETENTION_END));
  });

  it('anonymises once however often it runs', async () => {
    clock.set(RETENTION_END);
    await app.runJob(JobName.Archive);
    const once = await databaseText();
    clock.set('2029-02-01T00:00:00Z');
    expect(await app.runJob(JobName.Archive)).toMatchObject({ anonymised: 0, locked: 0, failed: 0 });
    expect(await databaseText()).toBe(once);
  });
});
