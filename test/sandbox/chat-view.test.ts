import { describe, expect, it } from 'vitest';
import { chatView } from '../../src/sandbox/chat-view';
import type { CardUpdate, DeliveredMessage } from '../../src/sandbox/fake-wecom.server';

const at = new Date('2026-11-26T07:10:05Z');
const card = (taskId: string, cardType = 'button_interaction'): DeliveredMessage => ({
  msgid: `m-${taskId}`,
  userId: 'zhangsan',
  at,
  msgtype: 'template_card',
  content: { card_type: cardType, task_id: taskId, main_title: { title: taskId }, button_list: [{ type: 0, key: 'ok', text: '确认' }] },
  taskId,
});
const update = (taskId: string, change: Partial<CardUpdate>): CardUpdate => ({ userId: 'zhangsan', at, taskId, responseCode: 'rc', ...change });

describe('a person’s chat as the sandbox shows it', () => {
  it('shows text and markdown as bubbles and cards as sent, tappable while unanswered', () => {
    const view = chatView(
      [{ msgid: 'm1', userId: 'zhangsan', at, msgtype: 'markdown', content: { content: '**周报**' } }, card('t1'), card('t2', 'text_notice')],
      [],
    );
    expect(view.map((m) => [m.msgtype, m.text ?? null, m.tappable])).toEqual([
      ['markdown', '**周报**', false],
      ['template_card', null, true],
      ['template_card', null, false],
    ]);
  });

  it('greys a card out with the latest update’s replace_name, and only that card', () => {
    const view = chatView([card('t1'), card('t2')], [update('t1', { replaceName: '已提交' })]);
    expect(view.map((m) => [m.taskId, m.answered ?? null, m.tappable])).toEqual([
      ['t1', '已提交', false],
      ['t2', null, true],
    ]);
  });

  it('shows a whole-card update in place of the card sent, answered by its replace_text', () => {
    const replaced = { card_type: 'button_interaction', main_title: { title: '已处理' }, replace_text: '已确认' };
    const [view] = chatView([card('t1')], [update('t1', { templateCard: replaced })]);
    expect(view).toMatchObject({ card: replaced, answered: '已确认', tappable: false });
  });
});
