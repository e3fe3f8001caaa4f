import type { CardUpdate, DeliveredMessage } from './fake-wecom.server';

/** One message in a person's chat as WeCom would show it now. */
export interface ChatMessage {
  id: string;
  at: string;
  msgtype: string;
  /** `text` and `markdown` messages: their content. */
  text?: string;
  /** Cards: the `template_card` as it stands now (a whole-card update replaces the one sent). */
  card?: Record<string, unknown>;
  taskId?: string;
  /**
   * Set once the card was answered: the grey text in place of its buttons (the update's
   * `replace_name`, or the replacing card's `replace_text`). Its choices are locked then.
   */
  answered?: string;
  /** Whether tapping its buttons sends a callback (an interactive card not yet answered). */
  tappable: boolean;
}

const INTERACTIVE = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

/**
 * A member's chat from what the fake WeCom delivered and the card updates it applied, oldest
 * first. Pure. For each card the latest update wins, as on the member's phone.
 */
export function chatView(delivered: DeliveredMessage[], updates: CardUpdate[]): ChatMessage[] {
  const latest = new Map<string, CardUpdate>();
  for (const update of updates) latest.set(update.taskId, update);
  return delivered.map((message) => {
    const base = { id: message.msgid, at: message.at.toISOString(), msgtype: message.msgtype };
    if (message.msgtype !== 'template_card') {
      return { ...base, text: String(message.content.content ?? ''), tappable: false };
    }
    const update = message.taskId ? latest.get(message.taskId) : undefined;
    const card = update?.templateCard ?? message.content;
    const answered = update?.replaceName ?? (typeof card.replace_text === 'string' && update?.templateCard ? card.replace_text : undefined);
    const interactive = INTERACTIVE.has(String(card.card_type));
    return {
      ...base,
      card,
      taskId: message.taskId,
      ...(answered ? { answered } : {}),
      tappable: interactive && message.taskId !== undefined && answered === undefined,
    };
  });
}
