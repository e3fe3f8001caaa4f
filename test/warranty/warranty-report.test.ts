import { describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TestApp, useAppWithOffice1 } from '../support/app';
import { projectBody } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));

const sheet = { cause: '接口松动', measures: '更换管件', dueOn: '2026-12-10', approvedBy: '周工', responsible: '刘师傅' };

describe('a project\'s warranty report', () => {
  it('lists what expires in 90 days, repairs against their deadlines and visits done vs due, as JSON and xlsx', async () => {
    // Accepted 2024-12-20: electrical and plumbing end 2026-12-20, 17 days from now.
    expect((await app.api('PUT', '/api/projects/P-R', projectBody({ acceptedOn: '2024-12-20' }))).status).toBe(201);
    const report = (at: string, location: string) =>
      app.api('POST', '/api/projects/P-R/repairs', { reportedAt: at, category: 'electrical_plumbing', location, description: '漏水' });
    const missed = (await report('2026-12-01T10:00:00+08:00', '1 号楼')).body.id;
    const met = (await report('2026-12-03T09:00:00+08:00', '2 号楼')).body.id;
    await app.api('POST', `/api/warranty-repairs/${met}/onsite`, { by: 'sp1' });
    await app.api('POST', `/api/warranty-repairs/${met}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet });
    await app.api('POST', `/api/warranty-repairs/${met}/done`, { by: 'sp1' });
    const technical = (await app.api('POST', '/api/projects/P-R/visits', { kind: 'warranty_technical', topic: '新型管材' })).body.id;
    await app.api('POST', `/api/visits/${technical}/record`, { staffId: 'sp1', method: 'onsite', answers: { roofsAndWalls: '完好', problemsFound: '无', ownerOpinion: '无', satisfaction: 5 } });

    const res = await app.api('GET', '/api/projects/P-R/report');
    expect(res.status).toBe(200);
    expect(res.body.asOf).toBe('2026-12-03');
    expect(res.body.expiring).toEqual([{ category: 'electrical_plumbing', endsOn: '2026-12-20', daysLeft: 17 }]);
    expect(res.body.repairs).toMatchObject({ total: 2, open: 1, onSite: { met: 1, missed: 1, pending: 0 }, solved: { met: 1, missed: 0, pending: 1 } });
    expect(res.body.repairs.list.find((r: { id: number }) => r.id === missed)).toMatchObject({ onSite: 'missed', solved: 'pending' });
    // Due: the technical visit and electrical and plumbing's pre-expiry visit (open since 2026-11-20).
    expect(res.body.visits).toMatchObject({ due: 2, done: 1, onTime: 1, late: 0, overdue: 0 });
    expect(res.body.visits.upcoming).toBeGreaterThan(0);

    const xlsx = await fetch(`${app.server.url}/api/projects/P-R/report.xlsx`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(xlsx.status).toBe(200);
    const { default: Excel } = await import('exceljs');
    const book = new Excel.Workbook();
    await book.xlsx.load(Buffer.from(await xlsx.arrayBuffer()) as never);
    expect(book.worksheets.map((s) => s.name)).toEqual(['90天内到期', '保修维修', '保修回访']);
    expect(book.getWorksheet('90天内到期')!.getRow(2).values).toEqual([undefined, '电气管线、给排水管道、设备安装和装修工程', '2026-12-20', 17]);
    expect((await app.api('GET', '/api/projects/P-404/report')).status).toBe(404);
  });
});
