import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrderEvent } from '../support/app';
import { startWecomLoop, WecomLoop } from '../support/wecom-loop';

/** A resident who is a WeChat customer of the specialist 赵专员, not a directory member. */
const CUSTOMER = 'wmExternal0001';

describe('a resident who is a WeChat customer of a staff member', () => {
  let loop: WecomLoop;
  beforeAll(async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    loop.fake.customers.set(CUSTOMER, 'zhaozhuanyuan');
  });
  afterAll(async () => loop.close());

  it('gets the survey link as a customer-contact message the staff member confirms, and answers on the page', async () => {
    const res = await loop.app.sendEvent(
      workOrderEvent('completed', {
        kind: 'help',
        severity: null,
        department: null,
        completedAt: '2026-11-26T07:10:00Z',
        resident: { id: 'R-9', name: '李四', phone: '13900000000', wecomUserId: null, wecomExternalUserId: CUSTOMER, wecomContactOwner: 'zhaozhuanyuan', dingtalkUserId: null },
      }),
    );
    const visitId = res.body.visits[0].id;
    expect(await loop.job('reminders')).toMatchObject({ residentsAsked: 1 });
    await loop.dispatch();

    // The visitor's reminder says the link waits for them to send it.
    const visitor = res.body.visits[0].assignees[0] === 'sp1' ? 'zhaozhuanyuan' : 'qianzhuanyuan';
    expect(JSON.stringify(loop.last(visitor).content)).toContain('待您确认发送');
    const [message] = loop.fake.customerMessages();
    expect(message).toMatchObject({ sender: 'zhaozhuanyuan', externalUserId: CUSTOMER });
    const url = (message.attachments[0].link as { url: string }).url;
    expect(url).toMatch(/\/s\/[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);

    // The resident opens the link in WeChat and answers.
    const page = await fetch(url.replace(loop.app.server.config.publicBaseUrl, loop.app.server.url));
    expect(page.status).toBe(200);
    const form = new URLSearchParams({ quality: '5', effect: '5', satisfaction: '4', solved: 'yes' });
    form.append('shortcomings', 'none');
    const answered = await fetch(url.replace(loop.app.server.config.publicBaseUrl, loop.app.server.url), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(answered.status).toBe(200);
    const visit = (await loop.app.api('GET', `/api/visits/${visitId}`)).body;
    expect(visit).toMatchObject({ status: 'recorded', method: 'survey', answers: { quality: 5, satisfaction: 4 } });
    expect(visit.residentConfirmedAt).not.toBeNull();
  });

  it('marks the message failed and tells the supervisor when the contact belongs to nobody named', async () => {
    await loop.app.sendEvent(
      workOrderEvent('completed', {
        id: 'WO-X2',
        kind: 'help',
        severity: null,
        department: null,
        completedAt: '2026-11-26T07:10:00Z',
        resident: { id: 'R-10', name: '王五', wecomExternalUserId: 'wmUnknown', wecomContactOwner: 'zhaozhuanyuan' },
      }),
    );
    await loop.job('reminders');
    await loop.dispatch();
    const failed = await loop.app.api('GET', '/api/outbox?status=failed');
    expect(failed.body.messages.map((m: { recipientId: string }) => m.recipientId)).toEqual(['R-10']);
    expect(JSON.stringify(loop.last('lizhuguan').content)).toContain('R-10');
  });
});
