import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { workOrderEvent } from '../support/app';
import { RESIDENT_USER, startWecomLoop, taskOf, WecomLoop } from '../support/wecom-loop';

/** 2026-11-26 15:10:05 in Shanghai, a household repair just completed. */
const NOW = '2026-11-26T07:10:05Z';
const REPAIR = { kind: 'repair', severity: null, department: null, matterKey: 'kitchen-tap' };

type Select = { question_key: string; selected_id?: string; disable?: boolean; option_list: Array<{ id: string }> };

/**
 * The resident's survey cards record only what the resident chose, and show it afterwards:
 * WeCom shows the first option of a drop-down as chosen, so an untouched submit must not
 * become top marks, nor an untouched "solved?" become 已解决 (docs/wecom.md §2.7).
 */
describe('the resident’s survey cards in WeCom, through the fake WeCom', () => {
  let loop: WecomLoop;
  let visitId: number;
  beforeAll(async () => {
    loop = await startWecomLoop(NOW);
    const res = await loop.app.sendEvent(workOrderEvent('completed', { ...REPAIR, completedAt: '2026-11-26T07:10:00Z' }));
    visitId = res.body.visits[0].id;
    await loop.job('reminders');
    await loop.dispatch();
  });
  afterAll(async () => loop.close());

  const visit = async () => (await loop.app.api('GET', `/api/visits/${visitId}`)).body;
  /** The resident reads the changed card and taps again: some seconds later, as on a phone. */
  const later = () => loop.clock.advance(20_000);
  const lastUpdate = () => {
    const updates = loop.fake.updates(RESIDENT_USER);
    return updates[updates.length - 1]!;
  };

  it('records nothing when the ratings are submitted untouched, and keeps the card open with the reason', async () => {
    const ratings = loop.last(RESIDENT_USER);
    // What WeCom sends for drop-downs nobody touched: their preselected first option, 请选择.
    await loop.tap(RESIDENT_USER, taskOf(ratings), 'ratings_submit', { quality: ['not_chosen'], effect: ['4'], satisfaction: ['not_chosen'] });
    await loop.dispatch();
    const after = await visit();
    expect(after.answers).toMatchObject({ quality: null, effect: null, satisfaction: null });
    expect(after.status).toBe('due');
    const update = lastUpdate().templateCard!;
    // Still answerable: no replace_text, nothing disabled; the one choice made is kept.
    expect(update.replace_text).toBeUndefined();
    expect((update.main_title as { desc: string }).desc).toBe('还有未选的项目，请每项都选好再点提交');
    expect((update.select_list as Select[]).map((s) => [s.question_key, s.selected_id, s.disable])).toEqual([
      ['quality', 'not_chosen', undefined],
      ['effect', '4', undefined],
      ['satisfaction', 'not_chosen', undefined],
    ]);
    // No second card: the same one is answered again.
    expect(loop.last(RESIDENT_USER).taskId).toBe(ratings.taskId);
  });

  it('takes the ratings once all are chosen, and locks the card on exactly those', async () => {
    const ratings = loop.last(RESIDENT_USER);
    later();
    await loop.tap(RESIDENT_USER, taskOf(ratings), 'ratings_submit', { quality: ['3'], effect: ['4'], satisfaction: ['5'] });
    await loop.dispatch();
    expect((await visit()).answers).toMatchObject({ quality: 3, effect: 4, satisfaction: 5 });
    const update = lastUpdate().templateCard!;
    expect(update.replace_text).toBe('已提交');
    expect((update.select_list as Select[]).map((s) => [s.selected_id, s.disable, s.option_list.some((o) => o.id === 'not_chosen')])).toEqual([
      ['3', true, false],
      ['4', true, false],
      ['5', true, false],
    ]);
  });

  it('asks again when no shortcoming is ticked, or 无 is ticked with another', async () => {
    const shortcomings = loop.last(RESIDENT_USER);
    expect((shortcomings.content as { card_type: string }).card_type).toBe('vote_interaction');
    await loop.tap(RESIDENT_USER, taskOf(shortcomings), 'shortcomings_submit', { shortcomings: [] });
    await loop.dispatch();
    expect((lastUpdate().templateCard!.main_title as { desc: string }).desc).toBe('请至少选一项，没有不足请选「无」');

    later();
    await loop.tap(RESIDENT_USER, taskOf(shortcomings), 'shortcomings_submit', { shortcomings: ['none', 'price'] });
    await loop.dispatch();
    const update = lastUpdate().templateCard!;
    expect((update.main_title as { desc: string }).desc).toBe('「无」不能和其他项同时选，请重新选择');
    const ticked = (update.checkbox as { option_list: Array<{ id: string; is_checked: boolean }> }).option_list.filter((o) => o.is_checked);
    expect(ticked.map((o) => o.id)).toEqual(['price', 'none']);
    expect((await visit()).answers.shortcomings).toEqual([]);

    later();
    await loop.tap(RESIDENT_USER, taskOf(shortcomings), 'shortcomings_submit', { shortcomings: ['price'] });
    await loop.dispatch();
    expect((await visit()).answers.shortcomings).toEqual(['price']);
    const answered = lastUpdate().templateCard!;
    expect(answered.replace_text).toBe('已提交');
    expect((answered.checkbox as { disable: boolean; option_list: Array<{ id: string; is_checked: boolean }> }).option_list.filter((o) => o.is_checked).map((o) => o.id)).toEqual(['price']);
  });

  it('confirms with "solved?" untouched as unanswered, never as 已解决', async () => {
    const confirm = loop.last(RESIDENT_USER);
    const selection = (confirm.content as { button_selection: Select }).button_selection;
    expect(selection.selected_id).toBe('not_chosen');
    await loop.tap(RESIDENT_USER, taskOf(confirm), 'survey_confirm', { solved: ['not_chosen'] });
    await loop.dispatch();
    const recorded = await visit();
    expect(recorded.status).toBe('recorded');
    expect(recorded.answers).toMatchObject({ quality: 3, effect: 4, satisfaction: 5, shortcomings: ['price'], solved: null });
    expect(lastUpdate().templateCard).toMatchObject({ replace_text: '已确认，感谢您的评价', button_selection: { selected_id: 'not_chosen', disable: true } });
  });

  it('shows the supervisor the resident as 住户 on the review card, not as 回访人', async () => {
    await loop.dispatch();
    const review = JSON.stringify(loop.last('lizhuguan').content);
    expect(review).toContain('"keyname":"住户"');
    expect(review).not.toContain('回访人');
  });
});
