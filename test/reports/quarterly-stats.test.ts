import ExcelJS from 'exceljs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recountTallies } from '../../src/db/visit-tallies';
import { emptyAllTables } from '../support/database';
import { insertOffice, QuarterFixture, seedQuarter } from './quarter-fixture';
import { ReportsApp, startReportsApp } from './reports-app';

/** 2027-01-05 10:00 in Shanghai: Q4 is over, not yet locked. */
const NOW = '2027-01-05T02:00:00Z';

const KINDS = [
  { kind: 'complaint', target: 1, eligible: 4, selected: 4, done: 3, onTime: 2, rate: 0.5, doneRate: 0.75, satisfactionAvg: 3.67 },
  { kind: 'repair', target: 0.8, eligible: 5, selected: 4, done: 3, onTime: 2, rate: 0.4, doneRate: 0.6, satisfactionAvg: 4 },
  { kind: 'repair_works', target: 0.8, eligible: 0, selected: 0, done: 0, onTime: 0, rate: null, doneRate: null, satisfactionAvg: null },
  { kind: 'special_service', target: 0.8, eligible: 1, selected: 1, done: 1, onTime: 1, rate: 1, doneRate: 1, satisfactionAvg: 4.5 },
  // H1 counts once, by its second generation's visit (recorded late): the reopen ended the first's.
  { kind: 'help', target: 0.8, eligible: 3, selected: 2, done: 1, onTime: 0, rate: 0, doneRate: 0.3333, satisfactionAvg: 3.5 },
  { kind: 'emergency', target: 0.8, eligible: 0, selected: 0, done: 0, onTime: 0, rate: null, doneRate: null, satisfactionAvg: null },
  { kind: 'activity', target: 0.2, eligible: 0, selected: 0, done: 0, onTime: 0, rate: null, doneRate: null, satisfactionAvg: null },
  { kind: 'other', target: 0, eligible: 0, selected: 0, done: 0, onTime: 0, rate: null, doneRate: null, satisfactionAvg: null },
];

const STAFF = [
  { staffId: 'eng1', name: '孙工', assigned: 4, done: 3, onTime: 2, overdue: 2, satisfactionAvg: 3.67 },
  { staffId: 'sp1', name: '赵专员', assigned: 6, done: 6, onTime: 4, overdue: 2, satisfactionAvg: 4.33 },
  { staffId: 'sp2', name: '钱专员', assigned: 6, done: 4, onTime: 3, overdue: 3, satisfactionAvg: 3.25 },
];

const REPEAT_COMPLAINTS = [
  { unitId: 'U3', matterKey: 'noise', count: 2, workOrderIds: ['C1', 'C2'] },
  { unitId: 'U5', matterKey: 'door', count: 2, workOrderIds: ['C5', 'C6'] },
];
const REPEAT_REPAIRS = [{ unitId: 'U1', matterKey: 'leak', count: 3, workOrderIds: ['R1', 'R2', 'R3'] }];

describe('quarterly statistics of a hand-built quarter', () => {
  let app: ReportsApp;
  let fixture: QuarterFixture;
  beforeAll(async () => {
    app = await startReportsApp({ now: NOW });
  });
  afterAll(async () => app.close());
  beforeEach(async () => {
    app.clock.set(NOW);
    await emptyAllTables(app.db);
    await insertOffice(app.db);
    fixture = await seedQuarter(app.db);
  });

  it('answers every figure of the quarter as CONTRACT JSON', async () => {
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      officeId: 'office-1',
      quarter: '2026-Q4',
      from: '2026-09-30T16:00:00.000Z',
      to: '2026-12-31T16:00:00.000Z',
      review: null,
      decision: null,
      archive: null,
    });
    expect(res.body.kinds).toEqual(KINDS);
    expect(res.body.staff).toEqual(STAFF);
    expect(res.body.unqualified).toEqual([
      { visitId: fixture.visits.C1, workOrderId: 'C1', unitId: 'U3', kind: 'complaint', status: 'unqualified', recordedAt: '2026-10-11T02:00:00.000Z', satisfaction: 2 },
    ]);
    expect(res.body.repeatComplaints).toEqual(REPEAT_COMPLAINTS);
    expect(res.body.repeatRepairs).toEqual(REPEAT_REPAIRS);
  });

  it('counts complaints 80 days apart as a repeat and 100 days apart as none', async () => {
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    const units = res.body.repeatComplaints.map((g: { unitId: string }) => g.unitId);
    expect(units).toContain('U3'); // 10-10 → 12-29: 80 days
    expect(units).toContain('U5'); // 08-20 (Q3) → 11-08: 80 days, the latest in Q4
    expect(units).not.toContain('U4'); // 07-05 → 10-13: 100 days
  });

  it('follows the office policy for the repeat-complaint window', async () => {
    await app.db.query(`UPDATE offices SET policy = '{"repeatComplaintDays":100}' WHERE id = 'office-1'`);
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(res.body.repeatComplaints.map((g: { unitId: string }) => g.unitId)).toEqual(['U3', 'U4', 'U5']);
  });

  it('takes three repairs of a matter on a unit as a repeat, two not', async () => {
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(res.body.repeatRepairs.map((g: { unitId: string }) => g.unitId)).toEqual(['U1']); // U2 has two
  });

  it('counts a visit recorded after its window as done but not on time', async () => {
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    const repair = res.body.kinds.find((k: { kind: string }) => k.kind === 'repair');
    // R2 was recorded two days after its window: in done (3), not in onTime (2).
    expect([repair.done, repair.onTime]).toEqual([3, 2]);
    await app.db.query(`UPDATE visits SET late = 0, recordedAt = closesAt WHERE id = ?`, [fixture.visits.R2]);
    // Written straight into the table, not through the lifecycle: counted again, as after an import.
    await recountTallies(app.db.manager);
    const again = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(again.body.kinds.find((k: { kind: string }) => k.kind === 'repair')).toMatchObject({ done: 3, onTime: 3, rate: 0.6 });
  });

  it('does not count a record made after the instant the figures are taken at', async () => {
    app.clock.set('2027-01-03T01:00:00Z'); // 09:00 local, before R5 was recorded at 10:00
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(res.body.kinds.find((k: { kind: string }) => k.kind === 'repair')).toMatchObject({ done: 2, onTime: 1 });
    // R3's window closes at the end of 2 January: overdue already; R5's is open: not overdue.
    expect(res.body.staff.find((s: { staffId: string }) => s.staffId === 'sp2')).toMatchObject({ assigned: 6, done: 3, overdue: 3 });
  });

  it('exports the same figures as CSV with the paper form’s column names', async () => {
    const res = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4', { headers: { accept: 'text/csv' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.bytes.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = res.text.slice(1).split('\r\n');
    const section = (title: string) => {
      const start = lines.indexOf(title);
      expect(start).toBeGreaterThanOrEqual(0);
      const end = lines.indexOf('', start);
      return lines.slice(start + 1, end).map((line) => line.split(','));
    };
    const kinds = section('走访回访统计表');
    expect(kinds[0]).toEqual(['类别', '目标', '应回访数', '抽样回访数', '实回访数', '按时回访数', '回访率', '完成率（含逾期）', '满意度均分']);
    expect(kinds.slice(1)).toEqual([
      ['投诉', '1', '4', '4', '3', '2', '0.5', '0.75', '3.67'],
      ['维修服务', '0.8', '5', '4', '3', '2', '0.4', '0.6', '4'],
      ['维修工程', '0.8', '0', '0', '0', '0', '', '', ''],
      ['特约服务', '0.8', '1', '1', '1', '1', '1', '1', '4.5'],
      ['求助服务', '0.8', '3', '2', '1', '0', '0', '0.3333', '3.5'],
      ['急救病人', '0.8', '0', '0', '0', '0', '', '', ''],
      ['报刊杂志发行/文体活动', '0.2', '0', '0', '0', '0', '', '', ''],
      ['其他管理服务', '0', '0', '0', '0', '0', '', '', ''],
    ]);
    expect(section('员工绩效')).toEqual([
      ['员工编号', '姓名', '分配回访数', '完成数', '按时数', '逾期数', '满意度均分'],
      ['eng1', '孙工', '4', '3', '2', '2', '3.67'],
      ['sp1', '赵专员', '6', '6', '4', '2', '4.33'],
      ['sp2', '钱专员', '6', '4', '3', '3', '3.25'],
    ]);
    expect(section('重复投诉').slice(1)).toEqual([
      ['U3', 'noise', '2', 'C1、C2'],
      ['U5', 'door', '2', 'C5、C6'],
    ]);
    expect(section('重复维修').slice(1)).toEqual([['U1', 'leak', '3', 'R1、R2、R3']]);
    expect(section('不合格回访').slice(1)).toEqual([[String(fixture.visits.C1), 'C1', 'U3', '投诉', '2026-10-11 10:00', '2', '不合格']]);
  });

  it('exports the same figures as XLSX with one sheet per table of the form', async () => {
    const res = await app.api('GET', '/api/stats/quarterly.xlsx?officeId=office-1&quarter=2026-Q4');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(res.headers.get('content-disposition')).toContain(encodeURIComponent('走访回访统计表'));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.bytes as unknown as ArrayBuffer);
    const rows = (name: string) => {
      const sheet = workbook.getWorksheet(name);
      expect(sheet, name).toBeDefined();
      const out: unknown[][] = [];
      sheet!.eachRow((row) => out.push((row.values as unknown[]).slice(1)));
      return out;
    };
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['基本信息', '走访回访统计表', '不合格回访', '重复投诉', '重复维修', '员工绩效', '审核与决定']);
    const kinds = rows('走访回访统计表');
    expect(kinds[0]).toEqual(['类别', '目标', '应回访数', '抽样回访数', '实回访数', '按时回访数', '回访率', '完成率（含逾期）', '满意度均分']);
    expect(kinds.slice(1, 6)).toEqual([
      ['投诉', 1, 4, 4, 3, 2, 0.5, 0.75, 3.67],
      ['维修服务', 0.8, 5, 4, 3, 2, 0.4, 0.6, 4],
      ['维修工程', 0.8, 0, 0, 0, 0],
      ['特约服务', 0.8, 1, 1, 1, 1, 1, 1, 4.5],
      ['求助服务', 0.8, 3, 2, 1, 0, 0, 0.3333, 3.5],
    ]);
    expect(kinds[6]).toEqual(['急救病人', 0.8, 0, 0, 0, 0]);
    expect(workbook.getWorksheet('走访回访统计表')!.getCell('G2').numFmt).toBe('0.0%');
    expect(rows('员工绩效').slice(1)).toEqual([
      ['eng1', '孙工', 4, 3, 2, 2, 3.67],
      ['sp1', '赵专员', 6, 6, 4, 2, 4.33],
      ['sp2', '钱专员', 6, 4, 3, 3, 3.25],
    ]);
    expect(rows('重复投诉').slice(1)).toEqual([
      ['U3', 'noise', 2, 'C1、C2'],
      ['U5', 'door', 2, 'C5、C6'],
    ]);
    expect(rows('重复维修').slice(1)).toEqual([['U1', 'leak', 3, 'R1、R2、R3']]);
    expect(rows('不合格回访').slice(1)).toEqual([[fixture.visits.C1, 'C1', 'U3', '投诉', '2026-10-11 10:00', 2, '不合格']]);
    expect(rows('基本信息')).toContainEqual(['季度', '2026-Q4']);
  });

  it('names the bad fields in a 400 and answers 404 for an unknown office', async () => {
    const bad = await app.api('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q5');
    expect(bad.status).toBe(400);
    expect(bad.body.error.details.fields.map((f: { field: string }) => f.field)).toEqual(['quarter']);
    const missing = await app.api('GET', '/api/stats/quarterly?quarter=2026-Q4');
    expect(missing.body.error.details.fields).toEqual([{ field: 'officeId', message: 'is required' }]);
    const unknown = await app.api('GET', '/api/stats/quarterly?officeId=nowhere&quarter=2026-Q4');
    expect(unknown.status).toBe(404);
  });

  it('refuses callers without the admin token', async () => {
    const res = await fetch(`${app.url}/api/stats/quarterly?officeId=office-1&quarter=2026-Q4`);
    expect(res.status).toBe(401);
  });
});
