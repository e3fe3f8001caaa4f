import { describe, expect, it } from 'vitest';
import { render, type ManagerEscalationProps } from '../../cards/manager-escalation.card';
import { BASE_URL, OFFICE, UNHAPPY_RECORD, UNIT, WORK_ORDER } from './fixtures';
import { describeVariants } from './card-variants';

const base: ManagerEscalationProps = {
  cardId: 'hf_8812_escalate_1',
  officeName: OFFICE,
  kind: 'complaint',
  workOrder: WORK_ORDER,
  unit: UNIT,
  record: UNHAPPY_RECORD,
  supervisor: { name: '陈主管', opinion: '住户对维修质量不满，两次返修未解决，建议工程部主管上门并评估更换部件。' },
  handlingUrl: `${BASE_URL}/v/8812/handling?sig=jkl`,
};

const variants: Record<string, ManagerEscalationProps> = {
  'unqualified visit to handle': base,
  'answered: handled': { ...base, answered: true },
};

describe('manager escalation card', () => {
  describeVariants(variants, render, { answered: (props) => Boolean(props.answered) });

  it('shows the supervisor opinion, 已处理 and the handling-opinion link', () => {
    const { wecom, dingtalk } = render(base);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'card') throw new Error('expected cards');
    expect(wecom.template_card.button_list).toEqual([
      { type: 0, text: '已处理', style: 1, key: 'handled' },
      { type: 1, text: '填写处理意见', style: 2, url: `${BASE_URL}/v/8812/handling?sig=jkl` },
    ]);
    expect(dingtalk.cardParamMap.markdown).toContain('主管意见：住户对维修质量不满');
    expect(JSON.parse(dingtalk.cardParamMap.fields!)).toContainEqual({ label: '审核人', value: '陈主管' });
  });
});
