import { describe, expect, it } from 'vitest';
import type { DingtalkMessage, WecomMessage } from '../../src/channels/channel';
import { checkDingtalkMessage, checkWecomMessage } from '../../cards/components/limits';
import { render as renderReminder } from '../../cards/visit-reminder.card';
import { render as renderSatisfaction } from '../../cards/resident-satisfaction.card';
import { BASE_URL, OFFICE, UNIT, WINDOW, WORK_ORDER } from './fixtures';

/*
 * The checker must catch what the platforms refuse. Each case starts from a card the
 * checker passes, breaks one rule, and expects exactly that rule's error.
 */

function buttonCard(): Record<string, unknown> {
  const { wecom } = renderReminder({
    cardId: 'hf_8812_remind_1',
    officeName: OFFICE,
    kind: 'repair',
    workOrder: WORK_ORDER,
    unit: UNIT,
    due: WINDOW,
    slot: 'opened',
    resident: { status: 'card_sent' },
    recordFormUrl: `${BASE_URL}/r/8812`,
  });
  if (wecom.msgtype !== 'template_card') throw new Error('expected a card');
  return structuredClone(wecom.template_card);
}

function multipleCard(): Record<string, unknown> {
  const { wecom } = renderSatisfaction({
    cardId: 'hf_8812_ratings_1',
    stage: 'ratings',
    officeName: OFFICE,
    kind: 'repair',
    workOrder: { title: '电梯异响' },
    surveyUrl: `${BASE_URL}/s/tok`,
  });
  if (wecom.msgtype !== 'template_card') throw new Error('expected a card');
  return structuredClone(wecom.template_card);
}

function voteCard(): Record<string, unknown> {
  const { wecom } = renderSatisfaction({
    cardId: 'hf_8812_short_1',
    stage: 'shortcomings',
    officeName: OFFICE,
    kind: 'repair',
    workOrder: { title: '电梯异响' },
    surveyUrl: `${BASE_URL}/s/tok`,
  });
  if (wecom.msgtype !== 'template_card') throw new Error('expected a card');
  return structuredClone(wecom.template_card);
}

function dingtalkCard(): { kind: 'card'; outTrackId: string; cardParamMap: Record<string, string> } {
  const { dingtalk } = renderSatisfaction({
    cardId: 'hf_8812_sat_1',
    stage: 'quick',
    officeName: OFFICE,
    kind: 'repair',
    workOrder: { title: '电梯异响' },
    surveyUrl: `${BASE_URL}/s/tok`,
  });
  if (dingtalk.kind !== 'card') throw new Error('expected a card');
  return structuredClone(dingtalk);
}

function wecomErrors(card: Record<string, unknown>, options?: Parameters<typeof checkWecomMessage>[1]): string[] {
  return checkWecomMessage({ msgtype: 'template_card', template_card: card }, options).errors;
}

const notice = (msg: Record<string, unknown>): DingtalkMessage => ({ kind: 'notice', msg });

describe('the limit checker', () => {
  it('passes the untouched cards it starts from', () => {
    expect(wecomErrors(buttonCard())).toEqual([]);
    expect(wecomErrors(multipleCard())).toEqual([]);
    expect(wecomErrors(voteCard())).toEqual([]);
    expect(checkDingtalkMessage(dingtalkCard()).errors).toEqual([]);
  });

  describe('on WeCom template cards', () => {
    it('catches a task_id with a character outside 0-9 a-z A-Z _ - @', () => {
      expect(wecomErrors({ ...buttonCard(), task_id: 'hf_8812#remind' })).toEqual(['task_id may contain only 0-9 a-z A-Z _ - @']);
    });

    it('catches a task_id over 128 bytes', () => {
      expect(wecomErrors({ ...buttonCard(), task_id: 'a'.repeat(129) })).toEqual(['task_id is 129 bytes; limit 128']);
    });

    it('catches a missing task_id on an interactive card, and a task_id on a replacement card', () => {
      const { task_id: _taskId, ...withoutTaskId } = buttonCard();
      expect(wecomErrors(withoutTaskId)).toEqual(['task_id is required (non-empty string)']);
      expect(wecomErrors(buttonCard(), { use: 'update' })).toEqual(['a replacement card (update_template_card) carries no task_id']);
      expect(wecomErrors(withoutTaskId, { use: 'update' })).toEqual([]);
    });

    it('catches seven buttons', () => {
      const card = buttonCard();
      card.button_list = Array.from({ length: 7 }, (_, i) => ({ type: 0, text: `按钮${i}`, key: `b${i}` }));
      expect(wecomErrors(card)).toEqual(['button_list has 7 entries; allowed 1–6']);
    });

    it('catches no buttons at all', () => {
      expect(wecomErrors({ ...buttonCard(), button_list: [] })).toEqual(['button_list has 0 entries; allowed 1–6']);
    });

    it('catches a select with eleven options', () => {
      const card = multipleCard();
      const selects = card.select_list as { option_list: unknown[] }[];
      selects[0]!.option_list = Array.from({ length: 11 }, (_, i) => ({ id: `o${i}`, text: `选项${i}` }));
      (selects[0] as Record<string, unknown>).selected_id = 'o0';
      expect(wecomErrors(card)).toEqual(['select_list.option_list has 11 entries; allowed 1–10']);
    });

    it('catches four selects on a multiple_interaction card', () => {
      const card = multipleCard();
      const selects = card.select_list as Record<string, unknown>[];
      selects.push({ ...selects[0]!, question_key: 'fourth' });
      expect(wecomErrors(card)).toEqual(['select_list has 4 entries; allowed 1–3']);
    });

    it('catches a selected_id that is not an option', () => {
      const card = multipleCard();
      (card.select_list as Record<string, unknown>[])[0]!.selected_id = '9';
      expect(wecomErrors(card)).toEqual(['select_list.selected_id "9" is not one of its options']);
    });

    it('catches vote options without is_checked, and more than twenty', () => {
      const card = voteCard();
      const checkbox = card.checkbox as { option_list: Record<string, unknown>[] };
      delete checkbox.option_list[0]!.is_checked;
      expect(wecomErrors(card)).toEqual(['checkbox.option_list.is_checked is required (boolean)']);
      checkbox.option_list = Array.from({ length: 21 }, (_, i) => ({ id: `o${i}`, text: `选项${i}`, is_checked: false }));
      expect(wecomErrors(card)).toEqual(['checkbox.option_list has 21 entries; allowed 1–20']);
    });

    it('catches a key outside [A-Za-z0-9_-] and a key used twice', () => {
      const card = buttonCard();
      const buttons = card.button_list as Record<string, unknown>[];
      buttons[0]!.key = '记录';
      expect(wecomErrors(card)).toEqual(['key "记录" may contain only A-Z a-z 0-9 _ - (policy)']);
      buttons[0]!.key = 'unreachable';
      expect(wecomErrors(card)).toEqual(['key "unreachable" is not unique within the card']);
    });

    it('catches a field the card type does not document (rows on a vote card)', () => {
      expect(wecomErrors({ ...voteCard(), horizontal_content_list: [{ keyname: '房号', value: UNIT }] })).toEqual([
        'horizontal_content_list is not a documented field of vote_interaction',
      ]);
    });

    it('catches seven rows and a link row without url', () => {
      const card = buttonCard();
      card.horizontal_content_list = Array.from({ length: 7 }, (_, i) => ({ keyname: `行${i}`, value: 'x' }));
      expect(wecomErrors(card)).toEqual(['horizontal_content_list has 7 entries; allowed 0–6']);
      card.horizontal_content_list = [{ type: 1, keyname: '问卷', value: '打开' }];
      expect(wecomErrors(card)).toEqual(['horizontal_content_list.url is required (non-empty string)']);
    });

    it('catches a text_notice without card_action', () => {
      expect(wecomErrors({ card_type: 'text_notice', main_title: { title: '逾期' } })).toEqual([
        'card_action.type must be 1 (url) or 2 (mini-program); required for text_notice',
      ]);
    });

    it('warns, without failing, on soft lengths', () => {
      const card = buttonCard();
      (card.main_title as Record<string, unknown>).title = '很'.repeat(40);
      const report = checkWecomMessage({ msgtype: 'template_card', template_card: card });
      expect(report.errors).toEqual([]);
      expect(report.warnings).toEqual(['main_title.title is 40 characters; WeCom suggests ≈36']);
    });
  });

  describe('on WeCom markdown and text', () => {
    it('catches markdown over 2048 bytes for the app, and allows 4096 for the robot', () => {
      const content = '回'.repeat(683); // 2049 bytes
      const message: WecomMessage = { msgtype: 'markdown', markdown: { content } };
      expect(checkWecomMessage(message).errors).toEqual(['markdown.content is 2049 bytes; limit 2048']);
      expect(checkWecomMessage(message, { via: 'robot' }).errors).toEqual([]);
      const tooLong: WecomMessage = { msgtype: 'markdown', markdown: { content: 'a'.repeat(4097) } };
      expect(checkWecomMessage(tooLong, { via: 'robot' }).errors).toEqual(['markdown.content is 4097 bytes; limit 4096']);
    });

    it('catches text over 2048 bytes and empty text', () => {
      expect(checkWecomMessage({ msgtype: 'text', text: { content: 'x'.repeat(2049) } }).errors).toEqual(['text.content is 2049 bytes; limit 2048']);
      expect(checkWecomMessage({ msgtype: 'text', text: { content: '' } }).errors).toEqual(['text.content is required (non-empty string)']);
    });

    it('catches an interactive card sent by the robot', () => {
      expect(checkWecomMessage({ msgtype: 'template_card', template_card: buttonCard() }, { via: 'robot' }).errors).toEqual([
        'the group robot sends only text_notice / news_notice cards',
      ]);
    });
  });

  describe('on DingTalk cards', () => {
    it('catches a non-string cardParamMap value', () => {
      const card = dingtalkCard() as unknown as { cardParamMap: Record<string, unknown> };
      card.cardParamMap.answered = true;
      expect(checkDingtalkMessage(card as unknown as DingtalkMessage).errors).toEqual([
        'cardParamMap.answered must be a string (got boolean); pass JSON text',
      ]);
    });

    it('catches a value over 1 KB and a key over 100 bytes', () => {
      const card = dingtalkCard();
      card.cardParamMap.markdown = '回'.repeat(342); // 1026 bytes
      expect(checkDingtalkMessage(card).errors).toEqual(['cardParamMap.markdown is 1026 bytes; limit 1024']);
      const other = dingtalkCard();
      other.cardParamMap['k'.repeat(101)] = 'x';
      expect(checkDingtalkMessage(other, { genericTemplate: false }).errors).toEqual([`cardParamMap key "${'k'.repeat(20)}" is 101 bytes; limit 100`]);
    });

    it('catches an outTrackId over 64 characters', () => {
      expect(checkDingtalkMessage({ ...dingtalkCard(), outTrackId: 'a'.repeat(65) }).errors).toEqual(['outTrackId is 65 characters; limit 64']);
    });

    it('catches params the generic template cannot read', () => {
      const card = dingtalkCard();
      card.cardParamMap.buttons = '[{"text":"确认"}]';
      card.cardParamMap.answered = 'yes';
      delete card.cardParamMap.link;
      expect(checkDingtalkMessage(card).errors).toEqual([
        'cardParamMap.link is missing (generic template variable)',
        "cardParamMap.answered must be 'true' or 'false'",
        'buttons[].key is required (non-empty string)',
      ]);
      card.cardParamMap.link = '';
      card.cardParamMap.answered = 'false';
      card.cardParamMap.selects = 'not json';
      card.cardParamMap.buttons = '[]';
      expect(checkDingtalkMessage(card).errors).toEqual(['cardParamMap.selects must be JSON text of a list']);
    });
  });

  describe('on DingTalk work notices and robot bodies', () => {
    it('catches a notice msg over 2048 bytes of JSON', () => {
      const msg = { msgtype: 'text', text: { content: '回'.repeat(700) } };
      expect(checkDingtalkMessage(notice(msg)).errors).toEqual([`work notice msg (JSON) is ${Buffer.byteLength(JSON.stringify(msg))} bytes; limit 2048`]);
    });

    it('catches an action_card single_title over 20 characters', () => {
      const msg = { msgtype: 'action_card', action_card: { title: '逾期', markdown: '…', single_title: '查'.repeat(21), single_url: `${BASE_URL}/v/1` } };
      expect(checkDingtalkMessage(notice(msg)).errors).toEqual(['action_card.single_title is 21 characters; limit 20']);
    });

    it('catches the robot’s camelCase in a work notice, and the reverse', () => {
      const camel = { msgtype: 'actionCard', actionCard: { title: '周报', text: '…', singleTitle: '查看', singleURL: `${BASE_URL}/r` } };
      expect(checkDingtalkMessage(notice(camel)).errors).toEqual([
        "actionCard is the robot's spelling; work notices use snake_case",
        "singleTitle is the robot's spelling; work notices use snake_case",
        "singleURL is the robot's spelling; work notices use snake_case",
        'unsupported work notice msgtype actionCard',
      ]);
      expect(checkDingtalkMessage(notice(camel), { via: 'robot' }).errors).toEqual([]);
      const snake = { msgtype: 'action_card', action_card: { title: '周报', markdown: '…', single_title: '查看', single_url: `${BASE_URL}/r` } };
      expect(checkDingtalkMessage(notice(snake), { via: 'robot' }).errors).toEqual([
        "action_card is the work notice's spelling; the robot uses camelCase",
        "single_title is the work notice's spelling; the robot uses camelCase",
        "single_url is the work notice's spelling; the robot uses camelCase",
        'unsupported robot msgtype action_card',
      ]);
    });

    it('catches a notice without its unique tag', () => {
      const msg = { msgtype: 'text', text: { content: '回访 8812 已逾期' } };
      expect(checkDingtalkMessage(notice(msg), { uniqueTag: '回访8812 · 2026-11-30' }).errors).toEqual([
        'notice text does not contain its uniqueTag "回访8812 · 2026-11-30" (DingTalk drops same content once a day)',
      ]);
      expect(checkDingtalkMessage(notice({ msgtype: 'text', text: { content: '回访 8812 已逾期（回访8812 · 2026-11-30）' } }), { uniqueTag: '回访8812 · 2026-11-30' }).errors).toEqual([]);
    });
  });
});
