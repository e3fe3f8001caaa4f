import { describe, expect, it } from 'vitest';
import { render, type SupervisorReviewProps } from '../../cards/supervisor-review.card';
import { BASE_URL, OFFICE, PHONE_RECORD, UNHAPPY_RECORD, UNIT, WINDOW, WORK_ORDER, ZONE } from './fixtures';
import { describeVariants } from './card-variants';

const common = {
  officeName: OFFICE,
  kind: 'complaint' as const,
  workOrder: WORK_ORDER,
  unit: UNIT,
  visitUrl: `${BASE_URL}/v/8812?sig=ghi`,
  uniqueTag: '回访8812 · 2026-11-30',
};

const variants: Record<string, SupervisorReviewProps> = {
  review: { ...common, variant: 'review', cardId: 'hf_8812_review_1', record: PHONE_RECORD },
  'unqualified at once': { ...common, variant: 'unqualified', cardId: 'hf_8812_review_2', record: UNHAPPY_RECORD },
  'answered: passed': { ...common, variant: 'review', cardId: 'hf_8812_review_1', record: PHONE_RECORD, answered: 'ok' },
  'answered: unqualified': { ...common, variant: 'unqualified', cardId: 'hf_8812_review_2', record: UNHAPPY_RECORD, answered: 'unqualified' },
  'overdue notice': { ...common, variant: 'overdue', due: WINDOW, assignees: ['张敏', '工程部 王工'] },
  'resident did not answer': {
    ...common,
    kind: 'repair',
    variant: 'no_answer',
    askedAt: { at: new Date('2026-11-27T00:00:00Z'), zone: ZONE },
    assignees: ['张敏'],
    uniqueTag: '回访8812 · 2026-11-28',
  },
};

describe('supervisor review card', () => {
  describeVariants(variants, render, {
    answered: (props) => 'answered' in props && Boolean(props.answered),
    uniqueTag: (props) => (props.variant === 'overdue' || props.variant === 'no_answer' ? props.uniqueTag : undefined),
  });

  it('offers 通过 / 不合格 as callbacks and the opinion form as a link', () => {
    const { wecom, dingtalk } = render(variants.review!);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'card') throw new Error('expected cards');
    expect(wecom.template_card.button_list).toEqual([
      { type: 0, text: '通过', style: 1, key: 'review_ok' },
      { type: 0, text: '不合格', style: 3, key: 'review_unqualified' },
      { type: 1, text: '填写意见', style: 2, url: `${BASE_URL}/v/8812?sig=ghi` },
    ]);
    expect(dingtalk.cardParamMap.markdown).toContain('审核意见可直接回复文字');
  });

  it('flags an unqualified record in the title, in red on WeCom', () => {
    const { wecom, dingtalk } = render(variants['unqualified at once']!);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'card') throw new Error('expected cards');
    expect((wecom.template_card.main_title as { title: string }).title).toMatch(/^【不合格】投诉回访：电梯异响/);
    expect(wecom.template_card.source).toEqual({ desc: OFFICE, desc_color: 2 });
    expect(dingtalk.cardParamMap.title).toMatch(/^【不合格】/);
  });

  it('sends the overdue notice as a WeCom text card and a DingTalk work notice carrying the unique tag', () => {
    const { wecom, dingtalk } = render(variants['overdue notice']!);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'notice') throw new Error('expected a card and a notice');
    expect(wecom.template_card.card_type).toBe('text_notice');
    expect(wecom.template_card.card_action).toEqual({ type: 1, url: `${BASE_URL}/v/8812?sig=ghi` });
    expect(dingtalk.msg.msgtype).toBe('action_card');
    expect(JSON.stringify(dingtalk.msg)).toContain('回访8812 · 2026-11-30');
    expect(JSON.stringify(dingtalk.msg)).toContain('张敏、工程部 王工');
  });
});
