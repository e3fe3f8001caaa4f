import { describe, expect, it } from 'vitest';
import { Customer, Visit } from '../../entities';
import { csvText, upload } from '../customers/support';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { campaignBody, visitsOf } from './support';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));

/** A call of today to a customer whose name and inquiry carry markup; the form link of `staffId`. */
async function callForm(staffId = 'sp1'): Promise<{ visit: Visit; path: string }> {
  const sheet = csvText([
    ['姓名', '公司', '电话', '地区', '分类', '产品', '询盘内容'],
    ['<b>张伟</b>', '华建机械', '13800138000', '华东', 'A类', '挖掘机', '<script>alert(1)</script>要两台'],
  ]);
  expect((await upload(app, sheet)).body.imported).toBe(1);
  const res = await app.api('POST', '/api/campaigns', campaignBody({ from: '2026-12-03', to: '2026-12-03', staff: ['sp1'] }));
  const [visit] = await visitsOf(app, res.body.id);
  return { visit, path: `/f/${app.server.links.issue({ visitId: visit.id, purpose: 'record', staffId }, app.clock.now())}` };
}

const get = async (path: string) => {
  const res = await fetch(`${app.server.url}${path}`);
  return { status: res.status, text: await res.text(), csp: res.headers.get('content-security-policy') };
};
const post = async (path: string, fields: Record<string, string>) => {
  const res = await fetch(`${app.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields).toString() });
  return { status: res.status, text: await res.text() };
};

const FULL = {
  step: 'record',
  method: 'phone',
  reached: 'yes',
  'answers.satisfaction': '4',
  'answers.channel': '展会',
  'answers.remark': '希望多来电',
  needs: '明年要两台',
  'opinions.sale': '交货慢',
  complaints: '上次交货晚了两周',
  inquiryValid: 'yes',
  followUp: '下周发报价',
};

describe('the campaign call form (/f/:token of a campaign call)', () => {
  it('shows the customer and the campaign questions, every text escaped, with no script allowed', async () => {
    const { path } = await callForm();
    const page = await get(path);
    expect(page.status).toBe(200);
    for (const t of ['&lt;b>张伟&lt;/b>', '华建机械', 'tel:13800138000', '您对我们的服务满意吗？', '展会', '朋友介绍', '客户需求', '售后服务评价', '投诉与疑问', '询盘有效性', '后续跟进', 'name="answers.remark"'])
      expect(page.text).toContain(t);
    expect(page.text).not.toContain('<script>');
    expect(page.csp).toContain("script-src 'none'");
  });

  it('says what is missing beside the field and keeps what was given (400), storing nothing', async () => {
    const { visit, path } = await callForm();
    const res = await post(path, { ...FULL, 'answers.satisfaction': '', 'answers.channel': '电视' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('还有 2 处需要填写或修改');
    expect(res.text).toMatch(/data-field="answers.satisfaction"[^]*?请回答这个问题/);
    expect(res.text).toMatch(/data-field="answers.channel"[^]*?请在选项中选择/);
    expect(res.text).toContain('下周发报价');
    expect((await app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).recordedAt).toBeNull();
  });

  it('records an attempt when not reached, then the record; opened again it shows the record', async () => {
    const { visit, path } = await callForm();
    const attempt = await post(path, { step: 'record', method: 'phone', reached: 'no' });
    expect(attempt.status).toBe(200);
    expect(attempt.text).toContain('已记一次未接通（共 1 次）');
    expect(await app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).toMatchObject({ status: 'in_progress', recordedAt: null });
    const done = await post(path, FULL);
    expect(done.status).toBe(200);
    expect(done.text).toContain('已提交回访记录');
    const stored = await app.db.getRepository(Visit).findOneByOrFail({ id: visit.id });
    expect(stored).toMatchObject({ status: 'recorded', method: 'phone', recordedBy: 'sp1' });
    expect(stored.details).toMatchObject({ attempts: 1, satisfaction: 4, channel: '展会', opinions: { presale: null, sale: '交货慢', aftersale: null }, inquiryValid: true, followUp: '下周发报价' });
    const again = await get(path);
    expect(again.text).toContain('回访记录');
    expect(again.text).toContain('上次交货晚了两周');
    expect(again.text).not.toContain('<form');
    expect((await post(path, FULL)).status).toBe(409);
  });

  it("shows another caller's link the call read-only and refuses their post", async () => {
    const { visit, path } = await callForm('sp2');
    expect((await get(path)).text).not.toContain('<form');
    expect((await post(path, FULL)).status).toBe(403);
    expect((await app.db.getRepository(Visit).findOneByOrFail({ id: visit.id })).recordedAt).toBeNull();
    expect(await app.db.getRepository(Customer).count()).toBe(1);
  });
});
