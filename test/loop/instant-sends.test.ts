import { afterEach, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { inTransaction } from '../../src/db/transaction';
import { enqueue } from '../../src/outbox/outbox';
import { startServer } from '../../src/server';
import { FakeDelivery } from '../fakes/fake-wecom';
import { HOUSEHOLD_REPAIR, workOrderEvent } from '../support/app';
import { RESIDENT_USER, startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';

/**
 * What a person's action causes leaves at once, from the instance that handled it — with the
 * dispatch schedule NOT running: after the survey card is out, nothing here runs a dispatch
 * except where a test says the schedule takes over.
 */

/** 15:10:05 in Shanghai: off the :00/:30 marks, outside quiet hours. */
const NOW = '2026-11-26T07:10:05Z';
const SEND = '/cgi-bin/message/send';
const GOOD = { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'] };
const RATINGS = { quality: ['5'], effect: ['5'], satisfaction: ['5'] };

describe('instant sends of what a person waits for', () => {
  let loop: WecomLoop;
  afterEach(async () => loop?.close());

  /** A household repair whose ratings card the resident has (sent by a dispatch run, as the schedule would). */
  const residentWithSurvey = async (now = NOW) => {
    loop = await startWecomLoop(now);
    const res = await loop.app.sendEvent(workOrderEvent('completed', { ...HOUSEHOLD_REPAIR, completedAt: now }));
    expect(res.status).toBe(202);
    await loop.job('reminders');
    await loop.dispatch();
    return res.body.visits[0].id as number;
  };
  /**
   * With the resident's ratings card out, a second instance on the same database — its own
   * WeCom channel, no schedule — whose dispatcher races the rows this instance holds.
   */
  const withOtherInstance = async (run: (other: Awaited<ReturnType<typeof startServer>>) => Promise<void>) => {
    await residentWithSurvey();
    const other = await startServer(loop.app.server.config, {
      clock: loop.clock,
      dataSource: loop.app.db,
      instanceId: 'instance-b',
      schedules: false,
      channels: [new WecomChannel(loop.fake.config(), { clock: loop.clock })],
    });
    try {
      await run(other);
    } finally {
      await other.close();
    }
  };
  const pending = async () => loop.app.db.getRepository(OutboundMessage).find({ where: { status: 'pending' }, order: { id: 'ASC' } });
  const cardText = (userId: string) => JSON.stringify(loop.last(userId).content);
  /** Resolves with the first delivery `match` accepts, the moment the fake acts on it. */
  const nextDelivery = (match: (d: FakeDelivery) => boolean) =>
    new Promise<FakeDelivery>((resolve) => {
      const stop = loop.fake.watch((d) => {
        if (!match(d)) return;
        stop();
        resolve(d);
      });
    });

  it('sends the next card and greys out the tapped one after each of the three taps, with no dispatch run', async () => {
    const visitId = await residentWithSurvey();
    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'ratings_submit', RATINGS);
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
    // The ratings card is replaced by its answered form, locked on the answers, greyed with 已提交.
    expect(loop.fake.updates(RESIDENT_USER).map((u) => u.replaceName ?? u.templateCard?.replace_text)).toEqual(['已提交']);

    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'shortcomings_submit', { shortcomings: ['none'] });
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(3);
    expect(cardText(RESIDENT_USER)).toContain('survey_confirm');

    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'survey_confirm', { solved: ['yes'] });
    expect(loop.fake.updates(RESIDENT_USER)).toHaveLength(3);
    // The resident's 确认 records the visit: the supervisor's review card follows at once.
    expect(cardText('lizhuguan')).toContain('review_ok');
    expect((await loop.app.api('GET', `/api/visits/${visitId}`)).body.status).toBe('recorded');

    // The supervisor's 通过 greys out their card at once too.
    await loop.tap('lizhuguan', taskOf(loop.last('lizhuguan')), 'review_ok');
    expect(loop.fake.updates('lizhuguan').map((u) => u.replaceName)).toEqual(['已审核：通过']);
    expect(await pending()).toEqual([]);
    expect(loop.fake.unexpected).toEqual([]);
  });

  it('sends the resident’s card after a staff record through the API, and the explanation of a refused tap, with no dispatch run', async () => {
    const visitId = await residentWithSurvey();
    const recorded = await loop.app.api('POST', `/api/visits/${visitId}/record`, { staffId: 'sp1', method: 'phone', answers: GOOD });
    expect(recorded.status).toBe(200);
    await loop.app.server.settled();
    expect(cardText(RESIDENT_USER)).toContain('请确认回访记录');

    // The ratings card is still in the chat; a tap on it now is refused (409), and its grey-out says so at once.
    const ratings = loop.fake.delivered(RESIDENT_USER)[0];
    await loop.tap(RESIDENT_USER, taskOf(ratings), 'ratings_submit', RATINGS);
    expect(loop.fake.updates(RESIDENT_USER)).toHaveLength(1);
    expect(await pending()).toEqual([]);
  });

  it('sends the resident’s card after a record on the staff form, and the review card after the survey page, with no dispatch run', async () => {
    const visitId = await residentWithSurvey();
    const post = (path: string, fields: Record<string, string>) =>
      fetch(`${loop.app.server.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    const form = loop.app.server.links.issue({ visitId, purpose: 'record', staffId: 'sp1' }, loop.clock.now());
    const recorded = await post(`/f/${form}`, { step: 'record', method: 'phone', quality: '5', effect: '5', satisfaction: '4', shortcomings: 'none' });
    expect(recorded.status).toBe(200);
    await loop.app.server.settled();
    expect(cardText(RESIDENT_USER)).toContain('请确认回访记录');

    // The resident confirms on the survey page instead of the card: the supervisor's card follows at once.
    const survey = loop.app.server.links.issue({ visitId, purpose: 'survey' }, loop.clock.now());
    expect((await post(`/s/${survey}`, {})).status).toBe(200);
    await loop.app.server.settled();
    expect(cardText('lizhuguan')).toContain('review_ok');
    expect(await pending()).toEqual([]);
  });

  it('does not send twice when another instance’s dispatch runs while the instant send holds the row', async () => {
    await withOtherInstance(async (other) => {
      // WeCom takes its time answering the next card: the instant send holds its claim meanwhile.
      loop.fake.slowNext(1, 400, SEND);
      const reached = nextDelivery((d) => d.kind === 'message' && d.message.userId === RESIDENT_USER);
      const tap = loop.fake.cardTap({ userId: RESIDENT_USER, taskId: taskOf(loop.last(RESIDENT_USER)), eventKey: 'ratings_submit', selections: RATINGS });
      expect((await loop.fake.postCallback(`${loop.app.server.url}/callbacks/wecom`, tap)).status).toBe(200);
      await reached;
      const race = await other.dispatcher.runOnce();
      expect(race.sent).toBe(0);
      await loop.app.server.settled();
      await other.dispatcher.drain();
      expect(loop.fake.bodies(SEND).filter((b) => b.touser === RESIDENT_USER)).toHaveLength(2);
      expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
      expect(loop.fake.deduplicated()).toBe(0);
      expect(loop.fake.updates(RESIDENT_USER)).toHaveLength(1);
    });
  });

  it('leaves a row held by an instance that stopped before sending it to the schedule, once the hold runs out', async () => {
    await withOtherInstance(async (other) => {
      // Queued and held in one transaction by this instance, which then stops before sending.
      const now = loop.clock.now();
      await inTransaction(loop.app.db, async (manager) => {
        await enqueue(manager, { officeId: 'office-1', dedupeKey: 'stopped-before-send', channel: 'wecom', purpose: 'plain_notice', recipientKind: 'resident', recipientId: 'R-88', address: RESIDENT_USER, payload: { kind: 'message', wecom: { msgtype: 'text', text: { content: '您好' } }, dingtalk: { kind: 'notice', msg: { msgtype: 'text', text: { content: '您好' } } } }, notBefore: now, prompt: true }, now);
        await loop.app.server.dispatcher.hold(manager, ['stopped-before-send']);
      });
      expect((await other.dispatcher.runOnce()).claimed).toBe(0);
      loop.clock.advance(120_001);
      expect(await other.dispatcher.runOnce()).toMatchObject({ claimed: 1, sent: 1 });
      expect(loop.fake.delivered(RESIDENT_USER).map((m) => m.msgtype)).toEqual(['template_card', 'text']);
    });
  });

  it('leaves a send WeCom failed (5xx) to the schedule, which retries it', async () => {
    await residentWithSurvey();
    loop.fake.failNext(1, { status: 502 }, SEND);
    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'ratings_submit', RATINGS);
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(1);
    const [left] = await pending();
    expect(left).toMatchObject({ purpose: 'resident_survey', attempts: 1, claimedBy: null });
    expect(left.nextAttemptAt.getTime()).toBeGreaterThan(loop.clock.now().getTime());

    loop.clock.set(left.nextAttemptAt);
    await loop.dispatch();
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
    expect(cardText(RESIDENT_USER)).toContain('shortcomings_submit');
  });

  it('holds an instant send that would break the per-member limit for the schedule', async () => {
    await residentWithSurvey();
    // The resident got 24 more messages in the last minute (25 with the survey card): the cap.
    const now = loop.clock.now();
    await loop.app.db.getRepository(OutboundMessage).insert(
      Array.from({ length: 24 }, (_, i) => ({
        officeId: 'office-1',
        dedupeKey: `earlier:${i}`,
        channel: 'wecom',
        purpose: 'earlier',
        recipientKind: 'resident' as const,
        recipientId: 'R-88',
        address: RESIDENT_USER,
        payload: {},
        status: 'sent' as const,
        attempts: 1,
        nextAttemptAt: new Date(now.getTime() - 30_000),
        sentAt: new Date(now.getTime() - 30_000 + i),
        createdAt: new Date(now.getTime() - 30_000),
      })),
    );
    await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'ratings_submit', RATINGS);
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(1);
    expect(loop.fake.updates(RESIDENT_USER)).toHaveLength(0);
    const held = await pending();
    expect(held.map((r) => r.purpose).sort()).toEqual(['card_update', 'resident_survey']);
    for (const row of held) expect(row.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime());
    expect(loop.fake.dropped(RESIDENT_USER)).toBe(0);

    loop.clock.set(new Date(Math.max(...held.map((r) => r.nextAttemptAt.getTime()))));
    await loop.dispatch();
    expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
    expect(loop.fake.updates(RESIDENT_USER)).toHaveLength(1);
  });

  for (const at of ['2026-11-26T07:00:00Z', '2026-11-26T07:30:00Z']) {
    it(`does not move a tap’s follow-ups off the minute when tapped at ${at.slice(11, 16)} UTC`, async () => {
      await residentWithSurvey('2026-11-26T06:50:05Z');
      loop.clock.set(at);
      await loop.tap(RESIDENT_USER, taskOf(loop.last(RESIDENT_USER)), 'ratings_submit', RATINGS);
      const rows = await loop.app.db.getRepository(OutboundMessage).find({ where: { purpose: 'card_update' } });
      const next = await loop.app.db.getRepository(OutboundMessage).find({ where: { purpose: 'resident_survey' }, order: { id: 'DESC' }, take: 1 });
      for (const row of [...rows, ...next]) {
        expect(row.nextAttemptAt.toISOString()).toBe(new Date(at).toISOString());
        expect(row.status).toBe('sent');
      }
      expect(loop.fake.delivered(RESIDENT_USER)).toHaveLength(2);
    });
  }
});
