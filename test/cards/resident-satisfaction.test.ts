import { describe, expect, it } from 'vitest';
import { render, type ResidentSatisfactionProps } from '../../cards/resident-satisfaction.card';
import { BASE_URL, COMPLETED_AT, HAPPY, OFFICE, UNHAPPY, ZONE } from './fixtures';
import { expectValidWecomUpdate, expectWithinLimits } from './within-limits';

const base: ResidentSatisfactionProps = {
  cardId: 'hf_8812_sat_1',
  stage: 'quick',
  officeName: OFFICE,
  kind: 'repair',
  workOrder: { title: '电梯异响', completedAt: { at: COMPLETED_AT, zone: ZONE } },
  surveyUrl: `${BASE_URL}/s/tok_8812`,
};

const variants: Record<string, ResidentSatisfactionProps> = {
  'quick: one-tap satisfaction': base,
  'quick answered: 非常满意': { ...base, answers: { satisfaction: 5 }, answered: true },
  'ratings (1/3)': { ...base, cardId: 'hf_8812_ratings_1', stage: 'ratings' },
  'ratings answered': { ...base, cardId: 'hf_8812_ratings_1', stage: 'ratings', answers: UNHAPPY, answered: true },
  'shortcomings (2/3)': { ...base, cardId: 'hf_8812_short_1', stage: 'shortcomings', kind: 'complaint' },
  'shortcomings answered': { ...base, cardId: 'hf_8812_short_1', stage: 'shortcomings', answers: UNHAPPY, answered: true },
  'confirm (3/3)': { ...base, cardId: 'hf_8812_confirm_1', stage: 'confirm', answers: { ...HAPPY, solved: undefined } },
  'confirm answered, not solved': { ...base, cardId: 'hf_8812_confirm_1', stage: 'confirm', answers: UNHAPPY, answered: true },
};

function card(props: ResidentSatisfactionProps): Record<string, unknown> {
  const { wecom } = render(props);
  if (wecom.msgtype !== 'template_card') throw new Error(`expected a template_card, got ${wecom.msgtype}`);
  return wecom.template_card;
}

function params(props: ResidentSatisfactionProps): Record<string, string> {
  const { dingtalk } = render(props);
  if (dingtalk.kind !== 'card') throw new Error('expected a DingTalk card');
  return dingtalk.cardParamMap;
}

describe('resident satisfaction card', () => {
  for (const [name, props] of Object.entries(variants)) {
    describe(name, () => {
      const rendered = render(props);
      it('stays within both platforms’ limits', () => {
        expectWithinLimits(rendered);
        if (props.answered) expectValidWecomUpdate(rendered);
      });
      it('matches the WeCom snapshot', () => {
        expect(rendered.wecom).toMatchSnapshot();
      });
      it('matches the DingTalk snapshot', () => {
        expect(rendered.dingtalk).toMatchSnapshot();
      });
    });
  }

  it('asks satisfaction with five one-tap buttons sat_5 … sat_1, 非常满意 first (the sandbox demo taps it)', () => {
    const quick = card(base);
    expect(quick.card_type).toBe('button_interaction');
    expect((quick.button_list as { text: string; key: string }[]).map((b) => [b.text, b.key])).toEqual([
      ['非常满意', 'sat_5'],
      ['满意', 'sat_4'],
      ['一般', 'sat_3'],
      ['不满意', 'sat_2'],
      ['非常不满意', 'sat_1'],
    ]);
    expect(JSON.parse(params(base).buttons!).map((b: { key: string }) => b.key)).toEqual(['sat_5', 'sat_4', 'sat_3', 'sat_2', 'sat_1']);
  });

  it('shows what was chosen once answered', () => {
    const answered = variants['quick answered: 非常满意']!;
    expect(card(answered).replace_text).toBe('已评价：非常满意');
    expect(params(answered)).toMatchObject({ answered: 'true', answerText: '已评价：非常满意' });
  });

  it('asks the three ratings on one multiple_interaction card with the form’s labels, levels as ids', () => {
    const ratings = card(variants['ratings (1/3)']!);
    expect(ratings.card_type).toBe('multiple_interaction');
    const selects = ratings.select_list as { question_key: string; option_list: { id: string; text: string }[] }[];
    expect(selects.map((s) => s.question_key)).toEqual(['quality', 'effect', 'satisfaction']);
    // WeCom shows the first option as chosen: an unanswered drop-down starts on 请选择, so an
    // untouched submit sends not_chosen, never 很好 (docs/wecom.md §2.7).
    expect(selects.map((s) => (s as { selected_id?: string }).selected_id)).toEqual(['not_chosen', 'not_chosen', 'not_chosen']);
    expect(selects[0]!.option_list).toEqual([
      { id: 'not_chosen', text: '请选择' },
      { id: '5', text: '很好' },
      { id: '4', text: '好' },
      { id: '3', text: '一般' },
      { id: '2', text: '差' },
      { id: '1', text: '很差' },
    ]);
    expect(selects[2]!.option_list.map((o) => o.text)).toEqual(['请选择', '非常满意', '满意', '一般', '不满意', '非常不满意']);
    expect(ratings.submit_button).toEqual({ text: '提交', key: 'ratings_submit' });
  });

  it('locks the ratings on the chosen levels once answered', () => {
    const selects = card(variants['ratings answered']!).select_list as { selected_id: string; disable: boolean }[];
    expect(selects.map((s) => [s.selected_id, s.disable])).toEqual([
      ['2', true],
      ['2', true],
      ['1', true],
    ]);
  });

  it('asks shortcomings as a multiple-choice vote with every option of the form', () => {
    const vote = card(variants['shortcomings (2/3)']!);
    expect(vote.card_type).toBe('vote_interaction');
    const checkbox = vote.checkbox as { mode: number; option_list: { text: string; is_checked: boolean }[] };
    expect(checkbox.mode).toBe(1);
    expect(checkbox.option_list.map((o) => o.text)).toEqual(['响应慢', '态度', '质量', '沟通', '价格', '其他', '无']);
    expect(checkbox.option_list.every((o) => o.is_checked === false)).toBe(true);
    const [select] = JSON.parse(params(variants['shortcomings (2/3)']!).selects!);
    expect(select).toMatchObject({ questionKey: 'shortcomings', multiple: true });
  });

  it('ends with 确认, the solved question and the survey link for suggestions', () => {
    const confirm = card(variants['confirm (3/3)']!);
    expect(confirm.button_list).toEqual([{ type: 0, text: '确认', style: 1, key: 'survey_confirm' }]);
    expect(confirm.button_selection).toMatchObject({
      question_key: 'solved',
      selected_id: 'not_chosen',
      option_list: [{ id: 'not_chosen', text: '请选择' }, { id: 'yes' }, { id: 'no' }],
    });
    expect(confirm.horizontal_content_list).toContainEqual({ type: 1, keyname: '填写建议', value: '点此填写', url: `${BASE_URL}/s/tok_8812` });
    expect(params(variants['confirm (3/3)']!).markdown).toContain(`[点此填写](${BASE_URL}/s/tok_8812)`);
  });
});
