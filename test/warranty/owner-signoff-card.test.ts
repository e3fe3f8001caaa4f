import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OutboundMessage, WarrantyRepair } from '../../entities';
import { buildCardEventXml, encryptCallback } from '../../src/channels/wecom/wecom-callback';
import { emptyAllTables } from '../support/database';
import { OFFICE_1 } from '../support/app';
import { startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';
import { projectBody } from './fixtures';

/** The owner of the fixture project, a member of the office's WeCom directory. */
const OWNER = 'binjiang';
const sheet = { cause: '防水层搭接不足', measures: '凿除地面，重做防水层并闭水试验', dueOn: '2027-03-20', approvedBy: '周工', responsible: '华建 保修部 刘师傅' };

let loop: WecomLoop;
beforeAll(async () => {
  loop = await startWecomLoop('2027-03-10T02:00:00Z');
  loop.fake.users.add(OWNER);
});
afterAll(async () => loop?.close());
let started = 0;
beforeEach(async () => {
  await emptyAllTables(loop.app.db);
  loop.fake.reset();
  // WeCom never takes a task id twice: each test's repairs are made in a second of their own.
  loop.clock.set(new Date(Date.parse('2027-03-10T02:00:00Z') + ++started * 60_000).toISOString());
  expect((await loop.app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
  expect((await loop.app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
});

const api = (method: string, path: string, body?: unknown) => loop.app.api(method, path, body);
const repair = async (id: number) => (await api('GET', `/api/warranty-repairs/${id}`)).body;

/** A repair reported, on site, assessed and done by sp1; its sign-off card delivered to the owner. */
async function doneRepair(): Promise<{ id: number; task: string }> {
  const { id } = (await api('POST', '/api/projects/P-1/repairs', { reportedAt: '2027-03-10T09:00:00+08:00', category: 'waterproofing', location: '3 号楼 1202 卫生间', description: '楼下顶棚渗水' })).body;
  await api('POST', `/api/warranty-repairs/${id}/onsite`, { by: 'sp1' });
  await api('POST', `/api/warranty-repairs/${id}/assess`, { by: 'sp1', cause: 'builder', taskSheet: sheet });
  // Off :00 and :30, where the outbox spreads sends over a few minutes (WeCom's peak advice).
  loop.clock.set('2027-03-12T02:07:00Z');
  expect((await api('POST', `/api/warranty-repairs/${id}/done`, { by: 'sp1' })).body.status).toBe('done');
  await loop.dispatch();
  return { id, task: taskOf(loop.last(OWNER)) };
}

/** The sign-off page link on the card as delivered. */
const pageOf = (task: string) => {
  const card = loop.fake.delivered(OWNER).find((m) => m.taskId === task)!;
  return new URL(/https?:\/\/[^"\\]+\/w\/[A-Za-z0-9_.-]+/.exec(JSON.stringify(card.content))![0]).pathname;
};
const openPage = async (path: string, verdict?: string) => {
  const res = await fetch(`${loop.app.server.url}${path}`, verdict === undefined ? {} : { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `verdict=${verdict}` });
  return { status: res.status, text: await res.text() };
};

describe("the owner's sign-off (验收签认) as a one-tap card", () => {
  it('签认 on the card signs the repair off once; a second tap and the page after it show the same answer', async () => {
    const { id, task } = await doneRepair();
    const card = loop.last(OWNER);
    expect(card.msgtype).toBe('template_card');
    const shown = JSON.stringify(card.content);
    for (const text of ['签认', '不满意', '3 号楼 1202 卫生间', '重做防水层', '/w/']) expect(shown).toContain(text);

    loop.clock.set('2027-03-12T03:00:00Z');
    await loop.tap(OWNER, task, 'signoff_accept');
    await loop.dispatch();
    let after = await repair(id);
    expect(after).toMatchObject({ status: 'signed_off', signedOffAt: '2027-03-12T03:00:00.000Z' });
    expect(after.history.at(-1)).toMatchObject({ action: 'signed_off', by: 'owner', details: { via: `wecom:${OWNER}` } });
    // The card greys out, saying what was recorded.
    expect(loop.fake.updates(OWNER)).toHaveLength(1);
    expect(JSON.stringify(loop.fake.updates(OWNER)[0])).toContain('已验收签认');

    // A second tap — even the other button — records nothing and shows the first answer.
    loop.clock.set('2027-03-12T03:05:00Z');
    await loop.tap(OWNER, task, 'signoff_reject');
    await loop.dispatch();
    after = await repair(id);
    expect(after.status).toBe('signed_off');
    expect(after.history.filter((h: { action: string }) => h.action === 'signed_off' || h.action === 'not_accepted')).toHaveLength(1);
    expect(loop.fake.updates(OWNER)).toHaveLength(2);
    expect(JSON.stringify(loop.fake.updates(OWNER)[1])).toContain('已验收签认');
    expect(await loop.app.db.getRepository(OutboundMessage).countBy({ purpose: 'warranty_repair_not_accepted' })).toBe(0);

    // The signed page, the fallback, shows the answer given and takes no other.
    const page = await openPage(pageOf(task));
    expect(page.text).toContain('本次维修已验收签认');
    expect(page.text).not.toContain('<button');
    expect((await openPage(pageOf(task), 'not_accepted')).status).toBe(200);
    expect((await repair(id)).history).toHaveLength(after.history.length);
    expect(loop.fake.unexpected).toEqual([]);
  });

  it('不满意 tells the lead and the supervisor, the page then shows it; after the rework a new card asks again and the old one answers nothing', async () => {
    const { id, task } = await doneRepair();
    await loop.tap(OWNER, task, 'signoff_reject');
    await loop.dispatch();
    expect(await repair(id)).toMatchObject({ status: 'not_accepted' });
    expect(JSON.stringify(loop.fake.updates(OWNER).at(-1))).toContain('已反馈不满意');
    const told = await loop.app.db.getRepository(OutboundMessage).find({ where: [{ purpose: 'warranty_repair_not_accepted' }, { purpose: 'supervisor_notice' }], order: { id: 'ASC' } });
    expect(told.map((m) => m.recipientId).sort()).toEqual(['sp1', 'sup1']);
    expect(JSON.stringify(told[0].payload)).toContain('验收不满意');

    // The page after the card: the same answer, no buttons; its own post changes nothing.
    expect((await openPage(pageOf(task))).text).toContain('您已反馈对本次维修不满意');
    expect((await openPage(pageOf(task), 'accepted')).text).not.toContain('已确认验收');
    expect((await repair(id)).status).toBe('not_accepted');

    // Reworked and done again: a new card (round 2); the old card's tap answers nothing.
    loop.clock.set('2027-03-15T02:07:00Z');
    const again = await api('POST', `/api/warranty-repairs/${id}/done`, { by: 'sp1' });
    expect(again.body).toMatchObject({ status: 'done', doneAt: '2027-03-12T02:07:00.000Z' });
    await loop.dispatch();
    const second = taskOf(loop.last(OWNER));
    expect(second).not.toBe(task);
    await loop.tap(OWNER, task, 'signoff_accept');
    await loop.dispatch();
    expect((await repair(id)).status).toBe('done');
    await loop.tap(OWNER, second, 'signoff_accept');
    await loop.dispatch();
    const signed = await repair(id);
    expect(signed.status).toBe('signed_off');
    expect(signed.history.map((h: { action: string }) => h.action)).toEqual(['reported', 'on_site', 'assessed', 'done', 'not_accepted', 'done', 'signed_off']);
  });

  it('ignores a tap by anyone but the owner', async () => {
    const { id, task } = await doneRepair();
    // A genuine, correctly encrypted event from the lead on the owner's card (WeCom itself would never send it).
    const createTime = Math.floor(loop.clock.now().getTime() / 1000);
    const innerXml = buildCardEventXml({
      corpId: loop.fake.corpId,
      fromUser: 'zhaozhuanyuan',
      createTime,
      eventKey: 'signoff_accept',
      taskId: task,
      cardType: 'button_interaction',
      responseCode: 'rc_forged',
      agentId: loop.fake.agentId,
    });
    const keys = { token: loop.fake.token, encodingAesKey: loop.fake.encodingAesKey, corpId: loop.fake.corpId };
    const res = await loop.fake.postCallback(`${loop.app.server.url}/callbacks/wecom`, encryptCallback(keys, innerXml, { timestamp: createTime, nonce: 'n0nce' }));
    expect(res.status).toBe(200);
    await loop.app.server.settled();
    const stored = await loop.app.db.getRepository(WarrantyRepair).findOneByOrFail({ id });
    expect(stored.status).toBe('done');
    expect(loop.fake.updates(OWNER)).toHaveLength(0);
  });
});
