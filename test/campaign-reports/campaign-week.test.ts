import ExcelJS from 'exceljs';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CampaignGuidance, OutboundMessage, Visit } from '../../entities';
import { startServer } from '../../src/server';
import { at } from '../reports/quarter-fixture';
import { startTestApp, TestApp } from '../support/app';
import { runJob } from '../warranty/fixtures';
import { CAMPAIGN_OFFICE, CallRecordBody, importCustomers, messagesTo, recordCall, startCampaign } from './campaign-fixture';

/*
 * A campaign's week, Monday 2026-12-07 to Friday 2026-12-11 (docs/rules.md §8), through HTTP on
 * a manual clock: the campaign set up with `POST /api/campaigns` on the Sunday, ten customers,
 * two a day (the days in even blocks), 赵专员 (sp1) and 钱专员 (sp2) in turn, so one each; every
 * call recorded — or attempted, not reaching the customer — by its caller through
 * `POST /api/visits/:id/record`. Each evening the
 * `campaign-closing` job tells a caller their calls of the day without a record, each morning the
 * supervisor hears what is still missing; the next Monday the weekly report goes to the supervisor,
 * whose guidance goes back to the caller and sends the report to the leadership.
 */
let app: TestApp;
let campaignId: string;
let calls: number[];

beforeAll(async () => {
  app = await startTestApp({ now: at('2026-12-06 10:00').toISOString() });
  expect((await app.api('PUT', '/api/offices/office-1', CAMPAIGN_OFFICE)).status).toBe(201);
  ({ campaignId, calls } = await startCampaign(app, await importCustomers(app, 10), { from: '2026-12-07', to: '2026-12-11' }));
});
afterAll(async () => app?.close());

const closing = () => runJob(app, 'campaign-closing');
/** The i-th customer's call (客户0i+1), by its caller: sp1 calls the even ones, sp2 the odd ones. */
const record = (i: number, body: CallRecordBody) => recordCall(app, calls[i], i % 2 === 0 ? 'sp1' : 'sp2', body);
/** A reached customer's answers to the campaign's questions. */
const answers = (service: number, product: number, channel: string) => ({ service, product, channel });

describe('daily closing (日清日结)', () => {
  it('plans two calls a day in customer order, the callers in turn', async () => {
    expect(calls).toHaveLength(10);
    const visits = await app.db.getRepository(Visit).findBy({ campaignId });
    const dayOf = new Map(visits.map((v) => [v.id, DateTime.fromJSDate(v.opensAt, { zone: 'Asia/Shanghai' }).toISODate()]));
    expect(calls.map((id) => dayOf.get(id))).toEqual(['07', '07', '08', '08', '09', '09', '10', '10', '11', '11'].map((d) => `2026-12-${d}`));
    const campaign = await app.api('GET', `/api/campaigns/${campaignId}`);
    expect(campaign.body.visits.byCaller.map((c: any) => [c.staffId, c.total])).toEqual([
      ['sp1', 5],
      ['sp2', 5],
    ]);
  });

  it('Monday evening: the caller with a call left unrecorded hears of it, once; the other hears nothing', async () => {
    app.clock.set(at('2026-12-07 11:00'));
    await record(0, { reached: true, inquiryValid: true, answers: answers(5, 4, '展会') });
    app.clock.set(at('2026-12-07 17:55'));
    expect((await closing()).callersTold).toBe(0);
    app.clock.set(at('2026-12-07 18:05'));
    expect((await closing()).callersTold).toBe(1);
    expect((await closing()).callersTold).toBe(0);
    const sp2 = await messagesTo(app, 'sp2', 'campaign_closing');
    expect(sp2).toHaveLength(1);
    expect(sp2[0].key).toBe('campaign-closing:office-1:2026-12-07:sp2');
    expect(sp2[0].text).toContain('今日回访未记录：1 个');
    expect(sp2[0].text).toContain('客户02（经销商回访）');
    expect(await messagesTo(app, 'sp1', 'campaign_closing')).toEqual([]);
    expect(await messagesTo(app, 'sup1', 'supervisor_notice')).toEqual([]);
  });

  it('Tuesday morning: the supervisor hears what is still missing, per caller', async () => {
    app.clock.set(at('2026-12-08 09:05'));
    expect((await closing()).supervisorsTold).toBe(1);
    const sup = await messagesTo(app, 'sup1', 'supervisor_notice');
    expect(sup).toHaveLength(1);
    expect(sup[0].text).toContain('截至 2026-12-07 仍有 1 个回访未记录');
    expect(sup[0].text).toContain('钱专员：1 个（客户02）');
    expect(await messagesTo(app, 'mgr1', 'supervisor_notice')).toEqual([]);
  });

  it('Tuesday evening, two instances closing at the same moment tell each caller once — 赵专员 too: a call that did not reach the customer is an attempt, no record', async () => {
    app.clock.set(at('2026-12-08 10:00'));
    await record(1, { reached: true, inquiryValid: false, answers: answers(3, 3, '网站'), complaints: '交货太慢' });
    await record(2, { reached: false });
    app.clock.set(at('2026-12-08 18:05'));
    const second = await startServer(app.server.config, { clock: app.clock, dataSource: app.db, schedules: false, instanceId: 'second' });
    try {
      const results = await Promise.all([app.server.jobs.runNow('campaign-closing' as never), second.jobs.runNow('campaign-closing' as never)]);
      expect(results.map((r) => r.status)).toEqual(['done', 'done']);
    } finally {
      await second.close();
    }
    const sp2 = await messagesTo(app, 'sp2', 'campaign_closing');
    expect(sp2.map((m) => m.key)).toEqual(['campaign-closing:office-1:2026-12-07:sp2', 'campaign-closing:office-1:2026-12-08:sp2']);
    expect(sp2[1].text).toContain('客户04');
    expect(sp2[1].text).not.toContain('客户02');
    const sp1 = await messagesTo(app, 'sp1', 'campaign_closing');
    expect(sp1.map((m) => m.key)).toEqual(['campaign-closing:office-1:2026-12-08:sp1']);
    expect(sp1[0].text).toContain('今日回访未记录：1 个');
    expect(sp1[0].text).toContain('客户03（经销商回访）');
  });

  it('Wednesday: everything recorded, so no caller hears anything that evening; Thursday morning the supervisor still hears of Tuesday', async () => {
    app.clock.set(at('2026-12-09 09:05'));
    expect((await closing()).supervisorsTold).toBe(1);
    const morning = (await messagesTo(app, 'sup1', 'supervisor_notice'))[1].text;
    expect(morning).toContain('截至 2026-12-08 仍有 2 个回访未记录');
    expect(morning).toContain('赵专员：1 个（客户03）');
    expect(morning).toContain('钱专员：1 个（客户04）');
    app.clock.set(at('2026-12-09 14:00'));
    await record(2, { method: 'chat', reached: true, inquiryValid: false, answers: answers(4, 5, '朋友') });
    await record(4, { reached: true, inquiryValid: true, answers: answers(4, 4, '展会'), opinions: { aftersale: '安装师傅很专业，但上门晚了' } });
    await record(5, { reached: true, inquiryValid: true, answers: answers(5, 5, '网站') });
    app.clock.set(at('2026-12-09 18:05'));
    expect((await closing()).callersTold).toBe(0);
    app.clock.set(at('2026-12-10 09:05'));
    expect((await closing()).supervisorsTold).toBe(1);
    const sup = await messagesTo(app, 'sup1', 'supervisor_notice');
    expect(sup.map((m) => m.key)).toEqual([
      'campaign-missing:office-1:2026-12-08:sup1',
      'campaign-missing:office-1:2026-12-09:sup1',
      'campaign-missing:office-1:2026-12-10:sup1',
    ]);
    expect(sup[2].text).toContain('钱专员：1 个（客户04）');
    expect(sup[2].text).not.toContain('客户03');
  });

  it('Thursday: all caught up — a call not reached by phone reached by chat later — so Friday morning the supervisor hears nothing', async () => {
    app.clock.set(at('2026-12-10 11:00'));
    await record(7, { reached: false });
    app.clock.set(at('2026-12-10 15:00'));
    await record(3, { reached: true, inquiryValid: false, answers: answers(2, 2, '朋友'), complaints: '价格偏高；售后电话打不通' });
    await record(6, { reached: true, inquiryValid: true, answers: answers(5, 4, '展会') });
    await record(7, { method: 'chat', reached: true, answers: answers(4, 4, '网站') });
    app.clock.set(at('2026-12-10 18:05'));
    expect((await closing()).callersTold).toBe(0);
    app.clock.set(at('2026-12-11 09:05'));
    expect((await closing()).supervisorsTold).toBe(0);
  });

  it('Friday evening tells 钱专员; no message at the weekend; Monday morning the supervisor hears of Friday', async () => {
    app.clock.set(at('2026-12-11 16:00'));
    await record(8, { reached: true, inquiryValid: false, answers: answers(4, 3, '展会') });
    app.clock.set(at('2026-12-11 18:05'));
    expect((await closing()).callersTold).toBe(1);
    app.clock.set(at('2026-12-12 18:05'));
    expect(await closing()).toMatchObject({ callersTold: 0, supervisorsTold: 0 });
    app.clock.set(at('2026-12-14 09:05'));
    expect((await closing()).supervisorsTold).toBe(1);
    const last = (await messagesTo(app, 'sup1', 'supervisor_notice')).at(-1)!;
    expect(last.text).toContain('截至 2026-12-11 仍有 1 个回访未记录');
    expect(last.text).toContain('钱专员：1 个（客户10）');
  });
});

describe('weekly report (客户回访报告)', () => {
  it('counts per caller: calls made, reached, valid inquiries, satisfaction, problems', async () => {
    const res = await app.api('GET', `/api/campaigns/${campaignId}/report?week=2026-W50`);
    expect(res.status).toBe(200);
    const byCaller = Object.fromEntries(res.body.callers.map((c: any) => [c.staffId, c]));
    // Calls made are the records and the tries that did not reach the customer (one each: 客户03 on
    // Tuesday, 客户08 on Thursday); only a record reaches (docs/rules.md §8.2).
    expect(byCaller.sp1).toMatchObject({ name: '赵专员', planned: 5, missing: 0, made: 6, reached: 5, validInquiries: 3, satisfactionAvg: 4.2, problems: 1 });
    expect(byCaller.sp2).toMatchObject({ name: '钱专员', planned: 5, missing: 1, made: 5, reached: 4, validInquiries: 1, satisfactionAvg: 3.5, problems: 2 });
    expect(res.body.totals).toMatchObject({ planned: 10, missing: 1, made: 11, reached: 9, validInquiries: 4, satisfactionAvg: 3.89, problems: 3 });
    expect(res.body.problems.map((p: any) => [p.customer, p.complaints ?? p.opinions.aftersale])).toEqual([
      ['客户02', '交货太慢'],
      ['客户04', '价格偏高；售后电话打不通'],
      ['客户05', '安装师傅很专业，但上门晚了'],
    ]);
    expect(res.body).toMatchObject({ week: '2026-W50', from: '2026-12-07', to: '2026-12-13', reviewed: false, guidance: [] });
  });

  it('is a workbook with format=xlsx', async () => {
    const res = await fetch(`${app.server.url}/api/campaigns/${campaignId}/report?week=2026-W50&format=xlsx`, { headers: { authorization: 'Bearer test-admin-token-0123456789' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('spreadsheetml');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(await res.arrayBuffer());
    const sheet = workbook.getWorksheet('客户回访报告')!;
    expect(sheet.getRow(1).values).toContain('有效询盘');
    expect((sheet.getRow(4).values as unknown[]).slice(3)).toEqual(['合计', 10, 1, 11, 9, 4, 3.89, 3]);
  });

  it('goes to the supervisor on Monday from the start of the working hours, with a link to the report page, once', async () => {
    app.clock.set(at('2026-12-14 08:50'));
    expect((await runJob(app, 'campaign-reports')).reportsQueued).toBe(0);
    app.clock.set(at('2026-12-14 09:05'));
    expect((await runJob(app, 'campaign-reports')).reportsQueued).toBe(1);
    expect((await runJob(app, 'campaign-reports')).reportsQueued).toBe(0);
    const sent = await messagesTo(app, 'sup1', 'campaign_report');
    expect(sent).toHaveLength(1);
    expect(sent[0].text).toContain('客户回访报告 2026-W50：经销商回访');
    expect(sent[0].text).toContain('钱专员：已回访 5（计划 5，未记录 1），联系上 4，有效询盘 1，满意度 3.50，提出问题 2');
    expect(await messagesTo(app, 'mgr1', 'campaign_report')).toEqual([]);
  });

  it('guidance is stored, goes to the caller, and the reviewed report goes to the leadership once', async () => {
    const first = await app.api('POST', `/api/campaigns/${campaignId}/report/guidance`, { by: 'sup1', text: '价格投诉请当天回复客户', week: '2026-W50', staffId: 'sp2' });
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({ toldCallers: 1, toldLeaders: 1, report: { reviewed: true } });
    const sp2 = await messagesTo(app, 'sp2', 'campaign_guidance');
    expect(sp2).toHaveLength(1);
    expect(sp2[0].text).toContain('李主管：价格投诉请当天回复客户');
    expect(await messagesTo(app, 'sp1', 'campaign_guidance')).toEqual([]);
    const leaders = await messagesTo(app, 'mgr1', 'campaign_report');
    expect(leaders).toHaveLength(1);
    expect(leaders[0].text).toContain('客户回访报告 2026-W50');

    const second = await app.api('POST', `/api/campaigns/${campaignId}/report/guidance`, { by: 'sup1', text: '本周整体不错，周五前补齐记录', week: '2026-W50' });
    expect(second.body).toMatchObject({ toldCallers: 2, toldLeaders: 0 });
    expect(await messagesTo(app, 'sp1', 'campaign_guidance')).toHaveLength(1);
    expect(await messagesTo(app, 'mgr1', 'campaign_report')).toHaveLength(1);
    const report = await app.api('GET', `/api/campaigns/${campaignId}/report?week=2026-W50`);
    expect(report.body.guidance.map((g: any) => [g.byName, g.staffId, g.text])).toEqual([
      ['李主管', 'sp2', '价格投诉请当天回复客户'],
      ['李主管', null, '本周整体不错，周五前补齐记录'],
    ]);
  });

  it('the report page: the supervisor writes guidance with its form; the leadership only reads', async () => {
    const link = (text: string) => JSON.parse(text).link?.url ?? /https?:\/\/[^"\\]+\/r\/campaign\/[^"\\]+/.exec(text)![0];
    const supervisorUrl = new URL(link((await messagesTo(app, 'sup1', 'campaign_report'))[0].text));
    const page = await fetch(`${app.server.url}${supervisorUrl.pathname}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<form method="post">');
    expect(html).toContain('价格投诉请当天回复客户');
    const posted = await fetch(`${app.server.url}${supervisorUrl.pathname}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ staffId: 'sp1', text: '<b>赵专员</b> 继续保持' }).toString(),
    });
    expect(posted.status).toBe(200);
    const after = await posted.text();
    expect(after).toContain('指导意见已发送给回访员');
    expect(after).toContain('&lt;b>赵专员&lt;/b> 继续保持');
    expect(await messagesTo(app, 'sp1', 'campaign_guidance')).toHaveLength(2);

    const empty = await fetch(`${app.server.url}${supervisorUrl.pathname}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'text=%20' });
    expect(empty.status).toBe(400);

    const leaderUrl = new URL(link((await messagesTo(app, 'mgr1', 'campaign_report'))[0].text));
    const leaderPage = await (await fetch(`${app.server.url}${leaderUrl.pathname}`)).text();
    expect(leaderPage).toContain('已审阅');
    expect(leaderPage).not.toContain('<form');
    expect((await fetch(`${app.server.url}/r/campaign/forged.token`)).status).toBe(403);
  });

  it('refuses bad input with a 400 naming the field, storing nothing', async () => {
    const stored = await app.db.getRepository(CampaignGuidance).count();
    const outbox = await app.db.getRepository(OutboundMessage).count();
    const bad = async (body: Record<string, unknown>, field: string, status = 400) => {
      const res = await app.api('POST', `/api/campaigns/${campaignId}/report/guidance`, { by: 'sup1', text: '好', week: '2026-W50', ...body });
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      if (status === 400) expect(res.body.error.details.fields.map((f: any) => f.field)).toContain(field);
    };
    await bad({ week: '2026-50' }, 'week');
    await bad({ week: '2026-W54' }, 'week');
    await bad({ text: '   ' }, 'text');
    await bad({ by: 'nobody' }, 'by');
    await bad({ staffId: 'sup1' }, 'staffId');
    await bad({ by: 'sp1' }, 'by', 403);
    await bad({ colour: 'red' }, 'colour');
    expect((await app.api('GET', `/api/campaigns/${campaignId}/report?week=W50`)).status).toBe(400);
    expect((await app.api('GET', '/api/campaigns/nope/report?week=2026-W50')).status).toBe(404);
    expect(await app.db.getRepository(CampaignGuidance).count()).toBe(stored);
    expect(await app.db.getRepository(OutboundMessage).count()).toBe(outbox);
  });
});
