import { beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { projectBody } from './fixtures';

let app: TestApp;
// Tuesday 1 August 2028, 10:00 in Shanghai (week 2028-W31: 31 July – 6 August).
useAppWithOffice1({ now: '2028-08-01T02:00:00Z' }, (started) => (app = started));
beforeEach(() => app.clock.set('2028-08-01T02:00:00Z'));

const sheet = { cause: '管线接口松动', measures: '更换接头', dueOn: '2028-08-10', approvedBy: '周工', responsible: '华建 保修部 刘师傅' };
const report = async (location: string, reportedAt = '2028-08-01T09:00:00+08:00') => {
  const res = await app.api('POST', '/api/projects/P-1/repairs', { reportedAt, category: 'cooling', location, description: '空调冷凝水管漏水' });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id as number;
};
const weekly = async (week: string) => {
  const res = await app.api('GET', `/api/reports/weekly?officeId=office-1&week=${week}`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body;
};

describe('the warranty section of the weekly summary', () => {
  it('lists per project what ends within 90 days and the open repairs against their deadlines, in the JSON, the card and the page', async () => {
    // Accepted 2026-12-01: cooling ends 2028-09-30 (54 days after the week), electrical and plumbing 2028-12-01 (116: not yet).
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    // Nothing ending soon and nothing open: not listed.
    expect((await app.api('PUT', '/api/projects/P-2', projectBody({ name: '城东学校', acceptedOn: '2028-07-01' }))).status).toBe(201);
    // Another office's project is not this office's business.
    expect((await app.api('PUT', '/api/offices/office-2', { name: '二号物业服务中心', staff: [{ id: 'x1', name: '孙专员', roles: ['specialist'] }] })).status).toBe(201);
    expect((await app.api('PUT', '/api/projects/P-9', projectBody({ officeId: 'office-2', warrantyLead: 'x1', name: '别处工程' }))).status).toBe(201);

    const missed = await report('2 号楼机房'); // nobody on site: the 24 h passed by the week's end
    const onTime = await report('5 号楼 301'); // on site and assessed in time, done only next week
    const done = await report('6 号楼 101'); // done within the week: not open
    await app.api('POST', `/api/warranty-repairs/${onTime}/onsite`, { by: 'sp1' });
    await app.api('POST', `/api/warranty-repairs/${onTime}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet });
    await app.api('POST', `/api/warranty-repairs/${done}/onsite`, { by: 'sp1' });
    await app.api('POST', `/api/warranty-repairs/${done}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet });
    await app.api('POST', `/api/warranty-repairs/${done}/done`, { by: 'sp1' });

    // Monday 7 August, 10:00: the summary of week 31 goes out.
    app.clock.set('2028-08-07T02:00:00Z');
    const summary = await weekly('2028-W31');
    const expected = [
      {
        projectId: 'P-1',
        name: '滨江花园二期',
        lead: { staffId: 'sp1', name: '赵专员' },
        expiring: [{ category: 'cooling', endsOn: '2028-09-30', daysLeft: 54 }],
        openRepairs: [
          { id: missed, category: 'cooling', location: '2 号楼机房', status: 'reported', reportedAt: '2028-08-01T01:00:00.000Z', onSiteBy: '2028-08-02T01:00:00.000Z', solveBy: '2028-08-16T01:00:00.000Z', onSite: 'missed', solved: 'pending' },
          { id: onTime, category: 'cooling', location: '5 号楼 301', status: 'assessed', reportedAt: '2028-08-01T01:00:00.000Z', onSiteBy: '2028-08-02T01:00:00.000Z', solveBy: '2028-08-16T01:00:00.000Z', onSite: 'met', solved: 'pending' },
        ],
      },
    ];
    expect(summary.warranty).toEqual(expected);

    expect((await app.api('POST', '/api/jobs/weekly-summary/run')).status).toBe(200);
    const [card] = await app.db.getRepository(OutboundMessage).find({ where: { purpose: 'weekly_summary', recipientId: 'sup1' } });
    const markdown = JSON.stringify(card.payload);
    for (const text of ['工程保修', '滨江花园二期', '供冷 2028-09-30 到期', '未完维修 2', '到场超时 1']) expect(markdown).toContain(text);
    expect(markdown).not.toContain('城东学校');
    expect(markdown).not.toContain('别处工程');

    const link = /https?:\/\/[^\s)"\\]+\/r\/weekly\/[A-Za-z0-9_.-]+/.exec(markdown)![0];
    const page = await (await fetch(`${app.server.url}${new URL(link).pathname}`)).text();
    for (const text of ['工程保修（1）', '滨江花园二期', '负责人 赵专员', '供冷', '2028-09-30', '54 天', '#' + missed, '到场超时', '已按时到场', '待修复']) expect(page).toContain(text);
    expect(page).not.toContain('6 号楼 101');

    // The next week: the repair done on Wednesday no longer open, a new report listed — and week 31 as it was.
    app.clock.set('2028-08-09T02:00:00Z');
    await app.api('POST', `/api/warranty-repairs/${onTime}/done`, { by: 'sp1' });
    const late = await report('7 号楼 502', '2028-08-09T09:00:00+08:00');
    expect((await weekly('2028-W31')).warranty).toEqual(expected);
    app.clock.set('2028-08-14T02:00:00Z');
    const next = (await weekly('2028-W32')).warranty;
    expect(next[0].openRepairs.map((r: { id: number; onSite: string; solved: string }) => [r.id, r.onSite, r.solved])).toEqual([
      [missed, 'missed', 'pending'],
      [late, 'missed', 'pending'],
    ]);
    expect(next[0].expiring).toEqual([{ category: 'cooling', endsOn: '2028-09-30', daysLeft: 47 }]);
  });

  it('says nothing of warranty for an office without projects', async () => {
    expect((await weekly('2028-W31')).warranty).toEqual([]);
  });
});
