import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCardEventXml, encryptCallback } from '../../src/channels/wecom/wecom-callback';
import { HOUSEHOLD_REPAIR, workOrderEvent } from '../support/app';
import { RESIDENT_USER, startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';

describe('POST/GET /callbacks/wecom over HTTP', () => {
  let loop: WecomLoop;
  let visitId: number;
  beforeAll(async () => {
    loop = await startWecomLoop('2026-11-26T07:10:05Z');
    const res = await loop.app.sendEvent(workOrderEvent('completed', { ...HOUSEHOLD_REPAIR, completedAt: '2026-11-26T07:10:00Z' }));
    visitId = res.body.visits[0].id;
    await loop.job('reminders');
    await loop.dispatch();
  });
  afterAll(async () => loop.close());

  const count = async (table: string) => Number((await loop.app.db.query(`SELECT COUNT(*) AS n FROM ${table}`))[0].n);

  it('answers the console’s URL verification with the decrypted echo, nothing else', async () => {
    const query = loop.fake.urlVerification('1616140317555161061');
    const res = await fetch(`${loop.app.server.url}/callbacks/wecom?${new URLSearchParams({ ...query })}`);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('1616140317555161061');
    const forged = await fetch(`${loop.app.server.url}/callbacks/wecom?${new URLSearchParams({ ...query, msg_signature: '0'.repeat(40) })}`);
    expect(forged.status).toBe(401);
  });

  it('refuses a callback with a bad signature with 401 and does nothing', async () => {
    const before = await count('inbound_events');
    const tap = loop.fake.cardTap({ userId: RESIDENT_USER, taskId: taskOf(loop.last(RESIDENT_USER)), eventKey: 'ratings_submit', selections: { quality: ['1'], effect: ['1'], satisfaction: ['1'] } });
    const res = await loop.fake.postCallback(`${loop.app.server.url}/callbacks/wecom`, { ...tap, query: { ...tap.query, msg_signature: 'f'.repeat(40) } });
    expect(res.status).toBe(401);
    await loop.app.server.settled();
    expect(await count('inbound_events')).toBe(before);
    expect((await loop.app.api('GET', `/api/visits/${visitId}`)).body.answers.quality).toBeNull();
  });

  it('acts once on a callback WeCom delivers twice', async () => {
    const tap = loop.fake.cardTap({ userId: RESIDENT_USER, taskId: taskOf(loop.last(RESIDENT_USER)), eventKey: 'ratings_submit', selections: { quality: ['4'], effect: ['4'], satisfaction: ['4'] } });
    const first = await loop.fake.postCallback(`${loop.app.server.url}/callbacks/wecom`, tap);
    const second = await loop.fake.postCallback(`${loop.app.server.url}/callbacks/wecom`, tap);
    expect([first.status, second.status]).toEqual([200, 200]);
    await loop.app.server.settled();
    await loop.dispatch();
    const visit = (await loop.app.api('GET', `/api/visits/${visitId}`)).body;
    expect(visit.history.filter((h: { action: string }) => h.action === 'resident_answered')).toHaveLength(1);
    // One next card (shortcomings), one update of the tapped card.
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
    expect(loop.fake.updates(RESIDENT_USER)).toHaveLength(1);
  });

  it('ignores a tap by someone the card was not sent to', async () => {
    // The specialist's reminder card, "tapped" by the supervisor: a genuine, correctly
    // encrypted event that WeCom itself would never send; it must not act either.
    const reminder = loop.last('zhaozhuanyuan');
    const before = (await loop.app.api('GET', `/api/visits/${visitId}`)).body.history.length;
    const innerXml = buildCardEventXml({
      corpId: loop.fake.corpId,
      fromUser: 'lizhuguan',
      createTime: Math.floor(loop.clock.now().getTime() / 1000),
      eventKey: 'unreachable',
      taskId: taskOf(reminder),
      cardType: 'button_interaction',
      responseCode: 'rc_forged',
      agentId: loop.fake.agentId,
    });
    const keys = { token: loop.fake.token, encodingAesKey: loop.fake.encodingAesKey, corpId: loop.fake.corpId };
    const res = await loop.fake.postCallback(`${loop.app.server.url}/callbacks/wecom`, encryptCallback(keys, innerXml, { timestamp: Math.floor(loop.clock.now().getTime() / 1000), nonce: 'n0nce' }));
    expect(res.status).toBe(200);
    await loop.app.server.settled();
    expect((await loop.app.api('GET', `/api/visits/${visitId}`)).body.history.length).toBe(before);
    const [stored] = await loop.app.db.query(`SELECT outcome FROM inbound_events WHERE eventId LIKE 'lizhuguan:%'`);
    expect(stored.outcome).toBe('ignored');
  });
});
