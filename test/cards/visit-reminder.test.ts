import { describe, expect, it } from 'vitest';
import { render, type VisitReminderProps } from '../../cards/visit-reminder.card';
import { BASE_URL, OFFICE, UNIT, WINDOW, WORK_ORDER } from './fixtures';
import { expectValidWecomUpdate, expectWithinLimits } from './within-limits';

const base: VisitReminderProps = {
  cardId: 'hf_8812_remind_1',
  officeName: OFFICE,
  kind: 'complaint',
  workOrder: WORK_ORDER,
  unit: UNIT,
  due: WINDOW,
  slot: 'opened',
  resident: { status: 'card_sent', name: '张三' },
  recordFormUrl: `${BASE_URL}/r/8812?sig=abc`,
};

const variants: Record<string, VisitReminderProps> = {
  'window open, resident card out': base,
  'halfway, preformatted dates, special service mid-contract': {
    ...base,
    cardId: 'hf_8813_remind_2',
    kind: 'special_service',
    purpose: 'mid_contract',
    workOrder: { id: 'WO-2026-000200', title: '别墅花园养护（年度合同）' },
    due: { from: '12月1日', by: '12月15日' },
    slot: 'halfway',
  },
  'last day, resident did not answer': {
    ...base,
    cardId: 'hf_8812_remind_3',
    slot: 'last_day',
    resident: { status: 'no_answer', name: '张三', phone: '13800000000' },
  },
  'no chat id: survey link and phone for staff': {
    ...base,
    cardId: 'hf_8814_remind_1',
    kind: 'repair',
    workOrder: { id: 'WO-2026-000311', title: '厨房下水管漏水' },
    resident: { status: 'no_chat', name: '王阿姨', phone: '13912345678', surveyUrl: `${BASE_URL}/s/tok_8814` },
  },
  'WeChat customer: the link waits for the staff member to send it': {
    ...base,
    cardId: 'hf_8815_remind_1',
    kind: 'help',
    workOrder: { id: 'WO-2026-000312', title: '代收快递' },
    resident: { status: 'link_sent', name: '李四' },
  },
  'answered: staff reported the resident unreachable': { ...base, answered: 'unreachable' },
};

describe('visit reminder card', () => {
  for (const [name, props] of Object.entries(variants)) {
    describe(name, () => {
      const rendered = render(props);
      it('stays within both platforms’ limits', () => {
        expectWithinLimits(rendered);
      });
      it('matches the WeCom snapshot', () => {
        expect(rendered.wecom).toMatchSnapshot();
      });
      it('matches the DingTalk snapshot', () => {
        expect(rendered.dingtalk).toMatchSnapshot();
      });
    });
  }

  it('offers record_phone and unreachable as callbacks and the record form as a link, on both platforms', () => {
    const { wecom, dingtalk } = render(base);
    expect(wecom.msgtype).toBe('template_card');
    const card = (wecom as { template_card: Record<string, unknown> }).template_card;
    expect(card.card_type).toBe('button_interaction');
    expect(card.task_id).toBe('hf_8812_remind_1');
    expect(card.button_list).toEqual([
      { type: 0, text: '记录电话回访', style: 1, key: 'record_phone' },
      { type: 0, text: '联系不上', style: 2, key: 'unreachable' },
      { type: 1, text: '填写记录', style: 2, url: `${BASE_URL}/r/8812?sig=abc` },
    ]);
    expect(dingtalk.kind).toBe('card');
    if (dingtalk.kind !== 'card') return;
    expect(dingtalk.outTrackId).toBe('hf_8812_remind_1');
    expect(JSON.parse(dingtalk.cardParamMap.buttons!)).toEqual([
      { text: '记录电话回访', key: 'record_phone', style: 'primary' },
      { text: '联系不上', key: 'unreachable', style: 'default' },
      { text: '填写记录', key: 'open_record_form', style: 'default', url: `${BASE_URL}/r/8812?sig=abc` },
    ]);
  });

  it('shows the visit kind in Chinese, the window in the office zone and the slot', () => {
    const { dingtalk } = render(base);
    if (dingtalk.kind !== 'card') throw new Error('expected a card');
    expect(dingtalk.cardParamMap.title).toBe('【窗口开启】投诉回访：电梯异响');
    expect(dingtalk.cardParamMap.subtitle).toBe('请在 11月29日 前完成回访');
    expect(JSON.parse(dingtalk.cardParamMap.fields!)).toContainEqual({ label: '回访期限', value: '11月26日 15:00 至 11月29日' });
  });

  it('gives staff the phone number and the survey link when the resident has no chat id', () => {
    const rendered = render(variants['no chat id: survey link and phone for staff']!);
    if (rendered.wecom.msgtype !== 'template_card') throw new Error('expected a card');
    const rows = rendered.wecom.template_card.horizontal_content_list;
    expect(rows).toContainEqual({ keyname: '住户电话', value: '13912345678' });
    expect(rows).toContainEqual({ type: 1, keyname: '问卷链接', value: '发给住户', url: `${BASE_URL}/s/tok_8814` });
    if (rendered.dingtalk.kind !== 'card') throw new Error('expected a card');
    expect(rendered.dingtalk.cardParamMap.markdown).toContain(`[发给住户](${BASE_URL}/s/tok_8814)`);
    expect(rendered.dingtalk.cardParamMap.markdown).toContain('请致电住户回访');
  });

  it('greys the buttons out after a tap, on both platforms', () => {
    const rendered = render({ ...base, answered: 'record_phone' });
    expect((rendered.wecom as { template_card: Record<string, unknown> }).template_card.replace_text).toBe('已选择：电话回访');
    if (rendered.dingtalk.kind !== 'card') throw new Error('expected a card');
    expect(rendered.dingtalk.cardParamMap.answered).toBe('true');
    expect(rendered.dingtalk.cardParamMap.answerText).toBe('已选择：电话回访');
    expectValidWecomUpdate(rendered);
  });

  it('refuses a cardId WeCom or DingTalk would refuse', () => {
    expect(() => render({ ...base, cardId: 'hf_8812 remind' })).toThrow(/only 0-9 a-z A-Z _ - @/);
    expect(() => render({ ...base, cardId: `hf_${'9'.repeat(70)}` })).toThrow(/DingTalk outTrackId/);
  });
});
