import { describe, expect, it } from 'vitest';
import { render, type CallCustomer, type CampaignCallProps } from '../../cards/campaign-call.card';
import { OFFICE } from './fixtures';
import { describeVariants } from './card-variants';

const customer: CallCustomer = { name: '张伟', company: '华建机械', phone: '13800138000', region: '华东', product: '挖掘机', inquiry: '要两台，问交货期' };
const base: CampaignCallProps = {
  cardId: 'hf_12_t3x9k0_cc_20261203_1a2b3c4d',
  officeName: OFFICE,
  campaignName: '十二月老客户回访',
  customer,
  recordFormUrl: 'https://hf.example.org/f/eyJ2IjoxfQ.c2ln',
};

const variants: Record<string, CampaignCallProps> = {
  'a customer with everything': base,
  'long texts, no company nor inquiry': { ...base, cardId: 'hf_13_t3x9k0_cc_20261203_1a2b3c4d', campaignName: '回访'.repeat(40), customer: { ...customer, name: '欧阳'.repeat(20), company: null, inquiry: null, product: '大型履带式挖掘机'.repeat(10) } },
  'answered: reached': { ...base, answered: 'reached' },
  'a resident of a property visit plan': { ...base, customer: undefined, resident: { name: '李娜', unit: '3-2-1201', phone: '13912345678', reach: '微信（客户联系）' } },
  'answered: not reached, second attempt': { ...base, answered: 'not_reached', attempts: 2 },
};

describe('campaign call card (客户回访名单)', () => {
  describeVariants(variants, render, { answered: (props) => Boolean(props.answered) });

  it('asks 已联系 / 未接通 and links the record form in a row that stays after the tap', () => {
    const { wecom } = render({ ...base, answered: 'not_reached', attempts: 2 });
    if (wecom.msgtype !== 'template_card') throw new Error('expected a card');
    expect(wecom.template_card.button_list).toEqual([
      { type: 0, text: '已联系', style: 1, key: 'call_reached' },
      { type: 0, text: '未接通', style: 2, key: 'call_not_reached' },
    ]);
    expect(wecom.template_card.replace_text).toContain('第 2 次');
    expect(wecom.template_card.horizontal_content_list).toContainEqual(expect.objectContaining({ keyname: '回访记录', url: base.recordFormUrl }));
  });
});
