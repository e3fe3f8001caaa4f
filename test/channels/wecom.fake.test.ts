import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../support/manual-clock';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';

/**
 * The fake WeCom's own rules, so tests built on it (the outbox's pacing, above all) can trust
 * what it reports. Requests go straight over HTTP, as WeCom would receive them.
 */
describe('the fake WeCom server', () => {
  let clock: ManualClock;
  let fake: FakeWecom;
  let accessToken: string;

  async function call(path: string, body: unknown): Promise<Record<string, unknown>> {
    const res = await fetch(`${fake.baseUrl}${path}?access_token=${encodeURIComponent(accessToken)}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return (await res.json()) as Record<string, unknown>;
  }
  const sendText = (touser: string, content = '提醒') =>
    call('/cgi-bin/message/send', { touser, msgtype: 'text', agentid: fake.agentId, text: { content } });
  const sendCard = (card: Record<string, unknown>) =>
    call('/cgi-bin/message/send', { touser: 'zhangsan', msgtype: 'template_card', agentid: fake.agentId, template_card: card });
  const buttonCard = (extra: Record<string, unknown> = {}) => ({
    card_type: 'button_interaction',
    main_title: { title: '请评价' },
    task_id: 'hf_1_sat_1',
    button_list: [{ text: '满意', key: 'sat_4' }],
    ...extra,
  });

  async function fetchToken(): Promise<void> {
    const res = await fetch(`${fake.baseUrl}/cgi-bin/gettoken?corpid=${fake.corpId}&corpsecret=${encodeURIComponent(fake.corpSecret)}`);
    accessToken = ((await res.json()) as { access_token: string }).access_token;
  }

  beforeEach(async () => {
    clock = new ManualClock('2026-11-26T07:03:00Z');
    fake = await startFakeWecom({ clock, users: ['zhangsan', 'lisi'] });
    await fetchToken();
  });
  afterEach(async () => {
    await fake.close();
  });

  it('accepts a 31st message to one member within a minute with errcode 0 but drops it silently', async () => {
    const answers = [];
    for (let i = 0; i < 31; i++) answers.push(await sendText('zhangsan'));

    expect(answers.every((a) => a.errcode === 0)).toBe(true);
    expect(fake.delivered('zhangsan')).toHaveLength(30);
    expect(fake.dropped('zhangsan')).toBe(1);
    expect(fake.dropped()).toBe(1);

    clock.advance(60_000);
    await sendText('zhangsan');
    expect(fake.delivered('zhangsan')).toHaveLength(31);
  });

  it('drops a member’s 1001st message within an hour even when each minute stays under 30', async () => {
    for (let i = 0; i < 1001; i++) {
      await sendText('lisi');
      clock.advance(3_000);
    }
    expect(fake.delivered('lisi')).toHaveLength(1000);
    expect(fake.dropped('lisi')).toBe(1);
  });

  it('answers 404 to a path WeCom does not have and records it as unexpected', async () => {
    const res = await fetch(`${fake.baseUrl}/cgi-bin/message/sendd?access_token=${accessToken}`, { method: 'POST', body: '{}' });
    expect(res.status).toBe(404);
    expect(fake.unexpected).toEqual([{ method: 'POST', path: '/cgi-bin/message/sendd', why: 'unknown path' }]);
  });

  it('answers the token errors WeCom answers', async () => {
    const wrongSecret = await fetch(`${fake.baseUrl}/cgi-bin/gettoken?corpid=${fake.corpId}&corpsecret=nope`);
    expect(await wrongSecret.json()).toMatchObject({ errcode: 40001 });
    const missing = await fetch(`${fake.baseUrl}/cgi-bin/message/send`, { method: 'POST', body: '{}' });
    expect(await missing.json()).toMatchObject({ errcode: 41001 });
    fake.expireAllTokens();
    expect(await sendText('zhangsan')).toMatchObject({ errcode: 42001 });
    fake.revokeToken();
    expect(await sendText('zhangsan')).toMatchObject({ errcode: 40014 });
    expect(fake.tokenFetches).toBe(2);
  });

  it('expires tokens by its clock after expires_in', async () => {
    clock.advance(7200 * 1000);
    expect(await sendText('zhangsan')).toMatchObject({ errcode: 42001 });
  });

  it('refuses agentid sent as a string', async () => {
    const answer = await call('/cgi-bin/message/send', { touser: 'zhangsan', msgtype: 'text', agentid: String(fake.agentId), text: { content: 'x' } });
    expect(answer.errcode).toBe(40056);
  });

  it('lists unknown users lower-cased in invaliduser and answers 81013 when nobody is known', async () => {
    expect(await sendText('zhangsan|WangWu')).toMatchObject({ errcode: 0, invaliduser: 'wangwu' });
    expect(await sendText('WangWu|zhaoliu')).toMatchObject({ errcode: 81013 });
  });

  it.each([
    ['a task_id with a character outside [0-9a-zA-Z_-@]', { task_id: 'hf#1' }, 42014],
    ['a task_id over 128 bytes', { task_id: 'a'.repeat(129) }, 42014],
    ['no buttons', { button_list: [] }, 40058],
    ['a button key over 1024 bytes', { button_list: [{ text: 'x', key: 'k'.repeat(1025) }] }, 40058],
    ['two buttons with one key', { button_list: [{ text: 'a', key: 'k' }, { text: 'b', key: 'k' }] }, 40058],
    ['a callback button without a key', { button_list: [{ text: 'a' }] }, 40058],
    ['no main title', { main_title: {} }, 40058],
  ])('refuses a button card with %s', async (_what, extra, errcode) => {
    expect(await sendCard(buttonCard(extra))).toMatchObject({ errcode });
    expect(fake.delivered('zhangsan')).toEqual([]);
  });

  it('refuses select_list over 3, options over 10, and vote options without is_checked', async () => {
    const option = (id: string) => ({ id, text: id });
    const select = (q: string, n = 2) => ({ question_key: q, title: q, option_list: Array.from({ length: n }, (_, i) => option(`${q}${i}`)) });
    const multiple = (selects: unknown[]) => ({
      card_type: 'multiple_interaction',
      main_title: { title: '回访' },
      task_id: `hf_m_${selects.length}`,
      select_list: selects,
      submit_button: { text: '提交', key: 'submit' },
    });
    expect(await sendCard(multiple([select('a'), select('b'), select('c'), select('d')]))).toMatchObject({ errcode: 40058 });
    expect(await sendCard(multiple([select('a', 11)]))).toMatchObject({ errcode: 40058 });
    expect(await sendCard(multiple([select('a'), select('b'), select('c')]))).toMatchObject({ errcode: 0 });
    const vote = {
      card_type: 'vote_interaction',
      main_title: { title: '问题是否已解决？' },
      task_id: 'hf_v_1',
      checkbox: { question_key: 'solved', option_list: [option('yes')] },
      submit_button: { key: 'submit' },
    };
    expect(await sendCard(vote)).toMatchObject({ errcode: 40058 });
  });

  it('refuses empty and over-long text and markdown', async () => {
    expect(await sendText('zhangsan', '')).toMatchObject({ errcode: 44004 });
    expect(await sendText('zhangsan', 'x'.repeat(2049))).toMatchObject({ errcode: 45002 });
    expect(await sendText('zhangsan', 'x'.repeat(2048))).toMatchObject({ errcode: 0 });
  });

  it('returns a response_code only for interactive cards, good once within 72 h', async () => {
    const plain = await sendText('zhangsan');
    expect(plain).not.toHaveProperty('response_code');
    const sent = await sendCard(buttonCard());
    const update = (code: unknown) =>
      call('/cgi-bin/message/update_template_card', { userids: ['zhangsan'], agentid: fake.agentId, response_code: code, button: { replace_name: '已评价' } });

    clock.advance(72 * 3600_000);
    await fetchToken();
    expect(await update(sent.response_code)).toMatchObject({ errcode: 60140 });

    const again = await sendCard(buttonCard({ task_id: 'hf_1_sat_2' }));
    expect(await update(again.response_code)).toMatchObject({ errcode: 0, invaliduser: [] });
    expect(await update(again.response_code)).toMatchObject({ errcode: 60140 });
    expect(await update('rc_never_issued')).toMatchObject({ errcode: 60140 });
  });

  it('refuses a replacement card that still carries a task_id', async () => {
    const sent = await sendCard(buttonCard());
    const answer = await call('/cgi-bin/message/update_template_card', {
      userids: ['zhangsan'],
      agentid: fake.agentId,
      response_code: sent.response_code,
      template_card: buttonCard(),
    });
    expect(answer.errcode).toBe(40058);
  });

  it('applies failNext to the named path only, and slowNext delays without losing the message', async () => {
    fake.failNext(1, { errcode: -1 }, '/cgi-bin/message/update_template_card');
    expect(await sendText('zhangsan')).toMatchObject({ errcode: 0 });
    fake.failNext(1, { status: 503 });
    const res = await fetch(`${fake.baseUrl}/cgi-bin/gettoken?corpid=${fake.corpId}&corpsecret=${fake.corpSecret}`);
    expect(res.status).toBe(503);
    fake.slowNext(1, 50, '/cgi-bin/message/send');
    expect(await sendText('zhangsan')).toMatchObject({ errcode: 0 });
    expect(fake.delivered('zhangsan')).toHaveLength(2);
  });

  it('refuses a robot webhook with an unknown key', async () => {
    const res = await fetch(`${fake.baseUrl}/cgi-bin/webhook/send?key=nope`, {
      method: 'POST',
      body: JSON.stringify({ msgtype: 'text', text: { content: 'x' } }),
    });
    expect(await res.json()).toMatchObject({ errcode: 93000 });
  });
});
