import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage, QuarterArchive, Visit, VisitHistoryEntry } from '../../entities';
import { JobName } from '../../src/jobs/job';
import { emptyAllTables } from '../support/database';
import { at, insertOffice, insertVisit, insertWorkOrder, QuarterFixture, seedQuarter } from '../reports/quarter-fixture';
import { ReportsApp, startReportsApp } from '../reports/reports-app';

/** Local (Shanghai) instants around the archive dates of 2026-Q4. */
const BEFORE_REMINDER = '2027-01-05T00:59:00Z'; // 5 January 08:59
const REMINDER = '2027-01-05T01:00:00Z'; // 5 January 09:00
const BEFORE_LOCK = '2027-01-09T15:59:59Z'; // 9 January 23:59:59
const LOCK = '2027-01-09T16:00:00Z'; // 10 January 00:00

describe('the archive job: reminder, lock and archive file', () => {
  let app: ReportsApp;
  let fixture: QuarterFixture;
  beforeAll(async () => {
    app = await startReportsApp({ now: BEFORE_REMINDER });
  });
  afterAll(async () => app.close());
  beforeEach(async () => {
    app.clock.set(BEFORE_REMINDER);
    await emptyAllTables(app.db);
    await insertOffice(app.db);
    fixture = await seedQuarter(app.db);
  });

  const reminders = () => app.db.getRepository(OutboundMessage).find({ where: { purpose: 'supervisor_notice' } });
  const workbookOf = async (bytes: Buffer) => {
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
    return workbook;
  };
  const sheetRows = (workbook: ExcelJS.Workbook, name: string) => {
    const rows: unknown[][] = [];
    workbook.getWorksheet(name)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    return rows;
  };

  it('reminds the supervisors once, from 09:00 on the 5th', async () => {
    expect(await app.runJob(JobName.Archive)).toMatchObject({ reminded: 0, locked: 0 });
    app.clock.set(REMINDER);
    expect(await app.runJob(JobName.Archive)).toMatchObject({ reminded: 1, locked: 0 });
    app.clock.set('2027-01-07T02:00:00Z');
    expect(await app.runJob(JobName.Archive)).toMatchObject({ reminded: 0 });
    const queued = await reminders();
    expect(queued.map((m) => [m.dedupeKey, m.recipientId])).toEqual([['archive-reminder:office-1:2026-Q4:sup1', 'sup1']]);
    expect(JSON.stringify(queued[0].payload)).toContain('1月10日 00:00');
  });

  it('locks the quarter at 00:00 on the 10th, once, and serves its archive file', async () => {
    app.clock.set(BEFORE_LOCK);
    expect(await app.runJob(JobName.Archive)).toMatchObject({ locked: 0 });
    expect((await app.api('GET', '/api/archives/office-1/2026-Q4.xlsx')).status).toBe(404);

    app.clock.set(LOCK);
    const statsAtLock = await app.api('GET', '/api/stats/quarterly.xlsx?officeId=office-1&quarter=2026-Q4');
    expect(await app.runJob(JobName.Archive)).toMatchObject({ locked: 1, failed: 0 });
    expect(await app.runJob(JobName.Archive)).toMatchObject({ locked: 0, failed: 0 });
    const [archive] = await app.db.getRepository(QuarterArchive).find();
    expect(archive).toMatchObject({ officeId: 'office-1', quarter: '2026-Q4', lockedAt: new Date(LOCK), anonymisedAt: null });

    const res = await app.api('GET', '/api/archives/office-1/2026-Q4.xlsx');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.bytes.length).toBe(archive.fileSize);
    const file = await workbookOf(res.bytes);
    const records = sheetRows(file, '回访记录');
    expect(records[0].slice(0, 9)).toEqual(['回访编号', '工单号', '工单标题', '类别', '回访目的', '房号', '业户编号', '业户姓名', '联系电话']);
    expect(records.slice(1).map((r) => r[0])).toEqual(Object.values(fixture.visits).sort((a, b) => a - b));
    // The statistics sheets of the archive are the statistics of the quarter at the lock.
    const stats = await workbookOf(statsAtLock.bytes);
    for (const sheet of ['走访回访统计表', '不合格回访', '重复投诉', '重复维修', '员工绩效']) {
      expect(sheetRows(file, sheet), sheet).toEqual(sheetRows(stats, sheet));
    }
    expect((await app.api('GET', '/api/archives/office-1/2026-Q3.xlsx')).status).toBe(404);
  });

  it('stores an archive file larger than one database chunk whole', async () => {
    // Text that does not compress: pseudo-random CJK characters (a fixed sequence).
    let seed = 7;
    const noise = (n: number) =>
      Array.from({ length: n }, () => {
        seed = (seed * 1103515245 + 12345) % 2 ** 31;
        return String.fromCharCode(0x4e00 + (seed % 0x5000));
      }).join('');
    const notes: string[] = [];
    for (let i = 0; i < 120; i++) {
      notes.push(noise(600));
      await insertWorkOrder(app.db, { id: `BIG-${i}`, kind: 'help', completedAt: at('2026-12-01 10:00'), quarter: '2026-Q4', sampling: 'selected', unitId: `B-${i}`, matterKey: 'm' });
      await insertVisit(app.db, { workOrderId: `BIG-${i}`, kind: 'help', quarter: '2026-Q4', opensAt: at('2026-12-01 10:00'), closesAt: at('2026-12-08 23:59'), assignees: ['sp1'], recordedAt: at('2026-12-02 10:00'), satisfaction: 5, notes: notes[i] });
    }
    app.clock.set(LOCK);
    await app.runJob(JobName.Archive);
    const [archive] = await app.db.getRepository(QuarterArchive).find();
    expect(archive.fileSize).toBeGreaterThan(65_535);
    const res = await app.api('GET', '/api/archives/office-1/2026-Q4.xlsx');
    const rows = sheetRows(await workbookOf(res.bytes), '回访记录').filter((r) => String(r[1]).startsWith('BIG-'));
    expect(rows.map((r) => r[24])).toEqual(notes);
  });

  it('answers 409 quarter_archived to a change of an archived record and changes nothing', async () => {
    app.clock.set(LOCK);
    await app.runJob(JobName.Archive);
    const before = await app.db.getRepository(Visit).findOneByOrFail({ id: fixture.visits.R3 });
    const historyBefore = await app.db.getRepository(VisitHistoryEntry).count();
    const outboxBefore = await app.db.getRepository(OutboundMessage).count();

    // R3's window closed on 2 January without a record: after the lock it can no longer be made.
    const record = await app.api('POST', `/api/visits/${fixture.visits.R3}/record`, {
      body: { staffId: 'sp2', method: 'phone', answers: { quality: 5, effect: 5, satisfaction: 5, shortcomings: ['none'] } },
    });
    expect(record.status).toBe(409);
    expect(record.body.error.code).toBe('quarter_archived');
    // C2 is recorded: its review would change the archived record.
    const review = await app.api('POST', `/api/visits/${fixture.visits.C2}/review`, { body: { reviewerId: 'sup1', verdict: 'ok', opinion: '好' } });
    expect([review.status, review.body.error.code]).toEqual([409, 'quarter_archived']);

    expect(await app.db.getRepository(Visit).findOneByOrFail({ id: fixture.visits.R3 })).toEqual(before);
    expect(await app.db.getRepository(VisitHistoryEntry).count()).toBe(historyBefore);
    expect(await app.db.getRepository(OutboundMessage).count()).toBe(outboxBefore);
    expect((await app.db.getRepository(Visit).findOneByOrFail({ id: fixture.visits.C2 })).reviewedAt).toBeNull();
  });

  it('still lets a visit whose window runs past the lock be made, and the quarter before the lock be changed', async () => {
    // A repair completed on 20 December is visited from 20 January, after the lock on the 10th.
    await insertWorkOrder(app.db, { id: 'R6', kind: 'repair', completedAt: at('2026-12-20 10:00'), quarter: '2026-Q4', sampling: 'selected', unitId: 'U9', matterKey: 'pipe' });
    const late = await insertVisit(app.db, { workOrderId: 'R6', kind: 'repair', quarter: '2026-Q4', opensAt: at('2027-01-20'), closesAt: at('2027-02-20 23:59'), assignees: ['sp1'] });
    const answers = { quality: 4, effect: 4, satisfaction: 4, shortcomings: ['none'] };

    app.clock.set(BEFORE_LOCK);
    const beforeLock = await app.api('POST', `/api/visits/${fixture.visits.R3}/record`, { body: { staffId: 'sp2', method: 'phone', answers } });
    expect(beforeLock.status).toBe(200);

    app.clock.set(LOCK);
    await app.runJob(JobName.Archive);
    app.clock.set('2027-01-21T02:00:00Z');
    const after = await app.api('POST', `/api/visits/${late}/record`, { body: { staffId: 'sp1', method: 'phone', answers } });
    expect(after.status).toBe(200);
    expect(after.body).toMatchObject({ status: 'recorded', late: false });
    // … and its review too, the record having been made after the lock.
    const review = await app.api('POST', `/api/visits/${late}/review`, { body: { reviewerId: 'sup1', verdict: 'ok', opinion: '好' } });
    expect(review.status).toBe(200);
  });
});
