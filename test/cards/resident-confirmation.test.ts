import { describe, expect, it } from 'vitest';
import { render, type ResidentConfirmationProps } from '../../cards/resident-confirmation.card';
import { HAPPY, OFFICE, UNHAPPY, ZONE } from './fixtures';
import { describeVariants } from './card-variants';

const base: ResidentConfirmationProps = {
  cardId: 'hf_8812_rconfirm_1',
  officeName: OFFICE,
  kind: 'repair',
  workOrder: { title: '电梯异响' },
  method: 'phone',
  staffName: '张敏',
  recordedAt: { at: new Date('2026-11-27T02:20:00Z'), zone: ZONE },
  answers: HAPPY,
};

const variants: Record<string, ResidentConfirmationProps> = {
  'phone visit, happy resident': base,
  'on-site visit with shortcomings, not solved': { ...base, cardId: 'hf_8813_rconfirm_1', method: 'onsite', staffName: '李强', answers: UNHAPPY },
  'answered: confirmed': { ...base, answered: 'confirm' },
  'answered: disputed': { ...base, answered: 'dispute' },
};

describe('resident confirmation card', () => {
  describeVariants(variants, render, { answered: (props) => Boolean(props.answered) });

  it('shows the method and the answers recorded, with 确认无误 / 有异议', () => {
    const { wecom, dingtalk } = render(base);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'card') throw new Error('expected cards');
    expect(wecom.template_card.horizontal_content_list).toEqual([
      { keyname: '回访方式', value: '电话回访 · 张敏' },
      { keyname: '质量评价', value: '很好' },
      { keyname: '服务效果', value: '好' },
      { keyname: '满意程度', value: '非常满意' },
      { keyname: '缺点不足', value: '无' },
      { keyname: '问题解决', value: '已解决' },
    ]);
    expect(wecom.template_card.button_list).toEqual([
      { type: 0, text: '确认无误', style: 1, key: 'confirm' },
      { type: 0, text: '有异议', style: 3, key: 'dispute' },
    ]);
    expect(JSON.parse(dingtalk.cardParamMap.buttons!).map((b: { key: string }) => b.key)).toEqual(['confirm', 'dispute']);
    expect(dingtalk.cardParamMap.markdown).toContain('回访时间：11月27日 10:20');
  });
});
