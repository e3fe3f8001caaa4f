import { describe, expect, it } from 'vitest';
import { render, type StaffRecordConfirmationProps } from '../../cards/staff-record-confirmation.card';
import { BASE_URL, OFFICE, PHONE_RECORD, UNHAPPY_RECORD, UNIT, WORK_ORDER } from './fixtures';
import { describeVariants } from './card-variants';

const base: StaffRecordConfirmationProps = {
  cardId: 'hf_8812_sconfirm_1',
  officeName: OFFICE,
  kind: 'complaint',
  workOrder: WORK_ORDER,
  unit: UNIT,
  record: PHONE_RECORD,
  recordUrl: `${BASE_URL}/v/8812?sig=def`,
};

const variants: Record<string, StaffRecordConfirmationProps> = {
  'phone record with a correction link': base,
  'late on-site record with notes, no link': { ...base, cardId: 'hf_8813_sconfirm_1', record: UNHAPPY_RECORD, recordUrl: undefined },
  'answered: confirmed': { ...base, answered: true },
};

describe('staff record confirmation card', () => {
  describeVariants(variants, render, { answered: (props) => Boolean(props.answered) });

  it('asks the staff member to confirm with staff_confirm', () => {
    const { wecom, dingtalk } = render(variants['late on-site record with notes, no link']!);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'card') throw new Error('expected cards');
    expect(wecom.template_card.button_list).toEqual([{ type: 0, text: '确认', style: 1, key: 'staff_confirm' }]);
    expect(JSON.parse(dingtalk.cardParamMap.buttons!)).toEqual([{ text: '确认', key: 'staff_confirm', style: 'primary' }]);
    expect(dingtalk.cardParamMap.markdown).toContain('上门回访 · 11月27日 14:45 记录（逾期完成）');
    expect(dingtalk.cardParamMap.markdown).toContain('备注：住户情绪较大');
  });
});
