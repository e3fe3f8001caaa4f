import { describe, expect, it } from 'vitest';
import { render, type OwnerSignOffProps } from '../../cards/owner-signoff.card';
import { OFFICE, ZONE } from './fixtures';
import { describeVariants } from './card-variants';

const base: OwnerSignOffProps = {
  cardId: 'hf_r12_t3x9k0_so_1',
  officeName: OFFICE,
  project: '滨江花园二期',
  location: '3 号楼 1202 卫生间',
  description: '楼下顶棚渗水',
  measures: '凿除地面，重做防水层并闭水试验',
  doneAt: { at: new Date('2027-03-18T08:00:00Z'), zone: ZONE },
  signOffUrl: 'https://hf.example.org/w/eyJ2IjoxfQ.c2ln',
};

const variants: Record<string, OwnerSignOffProps> = {
  'a finished repair': base,
  'long texts, no measures written': { ...base, cardId: 'hf_r13_t3x9k0_so_2', location: '5 号楼地下车库'.repeat(8), description: '墙面渗水'.repeat(40), measures: '' },
  'answered: accepted': { ...base, answered: 'accepted' },
  'answered: not accepted': { ...base, answered: 'not_accepted' },
};

describe("owner's sign-off card (验收签认)", () => {
  describeVariants(variants, render, { answered: (props) => Boolean(props.answered) });

  it('asks 签认 / 不满意 and links the sign-off page', () => {
    const { wecom, dingtalk } = render(base);
    if (wecom.msgtype !== 'template_card' || dingtalk.kind !== 'card') throw new Error('expected cards');
    expect(wecom.template_card.button_list).toEqual([
      { type: 0, text: '签认', style: 1, key: 'signoff_accept' },
      { type: 0, text: '不满意', style: 3, key: 'signoff_reject' },
      { type: 1, text: '查看详情', style: 2, url: base.signOffUrl },
    ]);
    expect(JSON.parse(dingtalk.cardParamMap.buttons!).map((b: { key: string }) => b.key)).toEqual(['signoff_accept', 'signoff_reject', 'open_signoff']);
    expect(dingtalk.cardParamMap.markdown).toContain('重做防水层');
  });
});
