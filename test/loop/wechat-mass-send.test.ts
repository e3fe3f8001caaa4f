import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OFFICE_1, workOrderEvent } from '../support/app';
import { emptyAllTables } from '../support/database';
import { startWecomLoop, WecomLoop } from '../support/wecom-loop';

/*
 * A resident who is a WeChat customer of 赵专员 gets the survey link as a mass-send task that
 * 赵专员 must confirm in 群发助手 (docs/wecom.md §7.1): Huifang follows the task until the link
 * is sent, reminds the member, and hands the visit to the phone when it cannot arrive — all
 * through HTTP, against the fake WeCom's model of confirmation, reminders, the send result and
 * the monthly cap.
 */

const HOUR = 3_600_000;
/** 09:10 in Shanghai: inside the default working hours (08:00–21:00). */
const MORNING = '2026-11-26T01:10:05Z';
let seq = 0;

describe('a WeChat customer reached by a mass-send task', () => {
  let loop: WecomLoop;
  beforeAll(async () => {
    loop = await startWecomLoop(MORNING);
  });
  afterAll(async () => loop.close());
  beforeEach(async () => {
    await emptyAllTables(loop.app.db);
    loop.fake.reset();
    loop.fake.customers.clear();
    loop.fake.groupMsgs.capPerMonth = null;
    for (const s of OFFICE_1.staff) loop.fake.users.add(s.wecomUserId);
    loop.clock.set(MORNING);
    await putOffice({});
  });

  async function putOffice(customerMessages: Record<string, unknown>): Promise<void> {
    const res = await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, policy: { customerMessages } });
    expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  }

  /** A completed help work order for a WeChat customer, asked by the reminders sweep; the visit's id. */
  async function askCustomer(externalUserId: string, owner = 'zhaozhuanyuan'): Promise<number> {
    seq += 1;
    const res = await loop.app.sendEvent(
      workOrderEvent('completed', {
        id: `WO-WX-${seq}`,
        kind: 'help',
        severity: null,
        department: null,
        unitId: `7-${seq}01`,
        completedAt: new Date(loop.clock.now().getTime() - 5_000).toISOString(),
        resident: { id: `R-WX-${seq}`, name: '王五', phone: '13911112222', wecomExternalUserId: externalUserId, wecomContactOwner: owner },
      }),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(202);
    await loop.job('reminders');
    loop.clock.advance(4 * 60_000);
    await loop.dispatch();
    return res.body.visits[0].id;
  }

  const visit = async (id: number) => (await loop.app.api('GET', `/api/visits/${id}`)).body;
  const actions = async (id: number) => (await visit(id)).history.map((h: { action: string }) => h.action);
  const textTo = (userId: string) => loop.fake.delivered(userId).map((m) => JSON.stringify(m.content)).join('\n');

  it('learns the task, sees it sent once the member confirms, and says on the visit that the link arrived', async () => {
    loop.fake.customers.set('wmSent', 'zhaozhuanyuan');
    const id = await askCustomer('wmSent');
    expect(await loop.job('customer-messages')).toMatchObject({ created: 1 });
    const [task] = loop.fake.groupMsgs.tasks();
    expect(task).toMatchObject({ sender: 'zhaozhuanyuan', externalUserIds: ['wmSent'], state: 'pending' });

    loop.clock.advance(20 * 60_000);
    loop.fake.groupMsgs.confirm(task.msgid);
    loop.clock.advance(15 * 60_000);
    expect(await loop.job('customer-messages')).toMatchObject({ sent: 1 });
    const v = await visit(id);
    expect(v.reach).toMatchObject({ route: 'external', reachedAt: task.sentAt!.toISOString(), handedBackAt: null });
    expect(v.history.find((h: { action: string }) => h.action === 'resident_reached').details).toMatchObject({ via: 'customer_message' });
    // Nothing is left to follow: a later run does nothing.
    loop.clock.advance(5 * HOUR);
    expect(await loop.job('customer-messages')).toMatchObject({ sent: 0, handedOn: 0, reminded: 0 });
    expect(loop.fake.unexpected).toEqual([]);
  });

  it('reminds the member — WeCom\'s reminder and our own naming the resident — then hands an unconfirmed task to the phone after 4 working hours', async () => {
    loop.fake.customers.set('wmSilent', 'zhaozhuanyuan');
    const id = await askCustomer('wmSilent');
    await loop.job('customer-messages');
    const [task] = loop.fake.groupMsgs.tasks();

    loop.clock.advance(HOUR);
    expect(await loop.job('customer-messages')).toMatchObject({ reminded: 1 });
    await loop.dispatch();
    expect(loop.fake.calls('/cgi-bin/externalcontact/remind_groupmsg_send')).toBe(1);
    expect(textTo('zhaozhuanyuan')).toContain('王五');
    expect(textTo('zhaozhuanyuan')).toContain('群发助手');
    expect(await actions(id)).toContain('customer_message_reminded');

    for (let h = 2; h <= 3; h++) {
      loop.clock.advance(HOUR);
      expect(await loop.job('customer-messages')).toMatchObject({ reminded: 1 });
    }
    expect(task.reminders).toHaveLength(3);
    // Our chat reminder goes once, WeCom's each hour.
    expect(loop.fake.delivered('zhaozhuanyuan').filter((m) => JSON.stringify(m.content).includes('群发助手'))).toHaveLength(1);

    loop.clock.advance(HOUR);
    expect(await loop.job('customer-messages')).toMatchObject({ handedOn: 1 });
    await loop.dispatch();
    const v = await visit(id);
    expect(v.reach).toMatchObject({ route: 'none', reachedAt: null });
    expect(v.reach.handedBackAt).not.toBeNull();
    expect(v.history.find((h: { action: string }) => h.action === 'route_changed').details).toMatchObject({ from: 'external', to: 'none', reason: 'unsent' });
    const visitor = v.assignees[0].staffId === 'sp1' ? 'zhaozhuanyuan' : 'qianzhuanyuan';
    expect(textTo(visitor)).toContain('请电话回访');
    expect(textTo(visitor)).toContain('13911112222');
    // The re-ask after 24 h creates no second task for a resident the link never reached.
    loop.clock.advance(30 * HOUR);
    await loop.job('resident-reask');
    await loop.dispatch();
    expect(loop.fake.groupMsgs.tasks()).toHaveLength(1);
  });

  it('counts only working time, and reminds on WeCom at most 3 times in 24 hours', async () => {
    await putOffice({ phoneAfterWorkingHours: 8 });
    loop.clock.set('2026-11-26T12:00:05Z'); // 20:00 in Shanghai: one working hour left today
    loop.fake.customers.set('wmEvening', 'zhaozhuanyuan');
    const id = await askCustomer('wmEvening');
    await loop.job('customer-messages');
    for (let i = 0; i < 30; i++) {
      loop.clock.advance(HOUR / 2);
      await loop.job('customer-messages');
    }
    // 20:04 + 8 working hours (56 min today, 7 h 04 min from 08:00) = 15:04 the next day.
    expect((await visit(id)).reach.route).toBe('external');
    const [task] = loop.fake.groupMsgs.tasks();
    expect(task.reminders.length).toBe(3);
    expect(loop.fake.rejections.filter((r) => r.path.endsWith('remind_groupmsg_send'))).toEqual([]);
    loop.clock.set('2026-11-27T07:00:00Z'); // 15:00: not yet
    expect(await loop.job('customer-messages')).toMatchObject({ handedOn: 0 });
    loop.clock.set('2026-11-27T07:05:00Z'); // 15:05
    expect(await loop.job('customer-messages')).toMatchObject({ handedOn: 1 });
    expect((await visit(id)).reach.route).toBe('none');
  });

  it('never creates a task the customer\'s monthly cap would swallow: the visit goes to the phone instead', async () => {
    await putOffice({ capPerMonth: 1 });
    loop.fake.customers.set('wmCapped', 'zhaozhuanyuan');
    const first = await askCustomer('wmCapped');
    await loop.job('customer-messages');
    loop.fake.groupMsgs.confirm(loop.fake.groupMsgs.tasks()[0].msgid);
    loop.clock.advance(15 * 60_000);
    await loop.job('customer-messages');
    expect((await visit(first)).reach.reachedAt).not.toBeNull();

    const second = await askCustomer('wmCapped');
    expect(loop.fake.calls('/cgi-bin/externalcontact/add_msg_template')).toBe(1);
    const v = await visit(second);
    expect(v.reach).toMatchObject({ route: 'none', askedAt: null });
    expect(v.history.find((h: { action: string }) => h.action === 'route_changed').details).toMatchObject({ reason: 'cap_reached', period: 'month' });
  });

  it('asks whether a handled problem is solved by the next route when the customer\'s cap is full', async () => {
    await putOffice({ capPerMonth: 1 });
    loop.fake.customers.set('wmResolve', 'zhaozhuanyuan');
    const id = await askCustomer('wmResolve');
    const url = (loop.fake.customerMessages()[0].attachments[0].link as { url: string }).url.replace(loop.app.server.config.publicBaseUrl, loop.app.server.url);
    const form = new URLSearchParams({ quality: '1', effect: '2', satisfaction: '1', solved: 'no' });
    form.append('shortcomings', 'quality');
    const answered = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form.toString() });
    expect(answered.status).toBe(200);
    expect((await loop.app.api('POST', `/api/visits/${id}/review`, { reviewerId: 'sup1', verdict: 'unqualified', opinion: '转经理' })).status).toBe(200);
    expect((await loop.app.api('POST', `/api/visits/${id}/handle`, { handlerId: 'mgr1', opinion: '已上门更换' })).status).toBe(200);
    await loop.dispatch();
    expect(loop.fake.calls('/cgi-bin/externalcontact/add_msg_template')).toBe(1);
    const v = await visit(id);
    expect(v).toMatchObject({ status: 'handled', reach: { route: 'none' } });
    expect(v.history.find((h: { action: string }) => h.action === 'route_changed').details).toMatchObject({ reason: 'cap_reached', period: 'month' });
  });

  it('knows a task WeCom capped at confirmation (the customer got other mass messages) and hands it to the phone', async () => {
    loop.fake.customers.set('wmFull', 'zhaozhuanyuan');
    loop.fake.groupMsgs.capPerMonth = 0;
    const id = await askCustomer('wmFull');
    await loop.job('customer-messages');
    loop.fake.groupMsgs.confirm(loop.fake.groupMsgs.tasks()[0].msgid);
    loop.clock.advance(15 * 60_000);
    expect(await loop.job('customer-messages')).toMatchObject({ handedOn: 1 });
    expect((await visit(id)).history.find((h: { action: string }) => h.action === 'route_changed').details).toMatchObject({ reason: 'cap_reached' });
  });

  it.each([
    ['an unknown or expired external user id', 'unknown_customer', 'wmNobody', async () => {}],
    ['a member who left', 'member_left', 'wmOfLeaver', async () => void loop.fake.users.delete('zhaozhuanyuan')],
  ])('ends %s in a clear state on the visit, and the phone', async (_what, reason, externalUserId, before) => {
    if (externalUserId !== 'wmNobody') loop.fake.customers.set(externalUserId, 'zhaozhuanyuan');
    await before();
    const id = await askCustomer(externalUserId);
    expect(await loop.job('customer-messages')).toMatchObject({ handedOn: 1 });
    const v = await visit(id);
    expect(v.reach.route).toBe('none');
    expect(v.history.find((h: { action: string }) => h.action === 'route_changed').details).toMatchObject({ from: 'external', to: 'none', reason });
  });

  it.each([
    ['a task deleted in the client', 'task_gone', (msgid: string) => loop.fake.groupMsgs.deleteTask(msgid)],
    ['a customer who is no longer a friend', 'not_friend', (msgid: string) => (loop.fake.customers.delete('wmLater'), loop.fake.groupMsgs.confirm(msgid))],
    ['a member who left after the task was made', 'member_left', () => void loop.fake.users.delete('zhaozhuanyuan')],
  ])('ends %s in a clear state on the visit, and the phone', async (_what, reason, happen) => {
    loop.fake.customers.set('wmLater', 'zhaozhuanyuan');
    const id = await askCustomer('wmLater');
    await loop.job('customer-messages');
    happen(loop.fake.groupMsgs.tasks()[0].msgid);
    loop.clock.advance(15 * 60_000);
    expect(await loop.job('customer-messages')).toMatchObject({ handedOn: 1 });
    const v = await visit(id);
    expect(v.reach).toMatchObject({ route: 'none', reachedAt: null });
    expect(v.history.find((h: { action: string }) => h.action === 'route_changed').details).toMatchObject({ reason });
  });

  it('takes the wait, the reminders, the cap and the working hours as office policy, and refuses bad values naming the field', async () => {
    const bad = await loop.app.api('PUT', '/api/offices/office-1', {
      ...OFFICE_1,
      policy: { customerMessages: { phoneAfterWorkingHours: 0, capPerMonth: 40, remind: 1 }, workingHours: { start: '18:00', end: '09:00' }, officialAccount: { templateId: 'bad id!' } },
    });
    expect(bad.status).toBe(400);
    const fields = bad.body.error.details.fields.map((f: { field: string }) => f.field);
    expect(fields).toEqual(
      expect.arrayContaining([
        'policy.customerMessages.phoneAfterWorkingHours',
        'policy.customerMessages.capPerMonth',
        'policy.customerMessages.remind',
        'policy.workingHours.end',
        'policy.officialAccount.templateId',
      ]),
    );
    expect((await loop.app.api('GET', '/api/offices/office-1')).body.policy).toEqual({ customerMessages: {} });
    const policy = { customerMessages: { phoneAfterWorkingHours: 6, remindEveryWorkingHours: 2, capPerMonth: 4, capPerWeek: 2 }, workingHours: { start: '09:00', end: '18:00', weekdays: [1, 2, 3, 4, 5] } };
    const ok = await loop.app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, policy });
    expect(ok.status).toBe(200);
    expect(ok.body.policy).toEqual(policy);
  });
});
