import type { RenderedMessage } from '../../src/channels/channel';
import { WECOM } from './platform-limits';
import { NOT_CHOSEN_OPTION_ID } from './to-wecom';
import { truncateChars } from './utf8';

/** Option ids per question key, as a tap chose them (what is recorded, not what was preset). */
export type Choices = Readonly<Record<string, readonly string[]>>;

/**
 * The card a person answered, changed after their tap — for the update that replaces their copy:
 * - `answered`: locked on `choices` (drop-downs show the option chosen, check boxes the ones
 *   ticked, everything disabled) with `answered` in place of the buttons — so a reopened chat
 *   shows the answers given, not the card's first options;
 * - `hint`: still open, the choices made so far kept, the hint shown under the title — for a
 *   submit that left something unanswered.
 * Questions without a choice keep what the card showed. Pure: the sent card is not changed.
 */
export function withChoices(sent: RenderedMessage, choices: Choices, change: { answered: string } | { hint: string }): RenderedMessage {
  return { wecom: wecomWithChoices(sent.wecom, choices, change), dingtalk: dingtalkWithChoices(sent.dingtalk, choices, change) };
}

type Change = { answered: string } | { hint: string };

function wecomWithChoices(sent: RenderedMessage['wecom'], choices: Choices, change: Change): RenderedMessage['wecom'] {
  if (sent.msgtype !== 'template_card') return sent;
  const card: Record<string, unknown> = structuredClone(sent.template_card);
  const locked = 'answered' in change;
  const select = (entry: Record<string, unknown>) => {
    const [chosen] = choices[entry.question_key as string] ?? [];
    if (chosen !== undefined) {
      entry.selected_id = chosen;
      entry.option_list = (entry.option_list as Array<{ id: string }>).filter((option) => option.id !== NOT_CHOSEN_OPTION_ID);
    }
    if (locked) entry.disable = true;
  };
  for (const entry of (card.select_list as Array<Record<string, unknown>> | undefined) ?? []) select(entry);
  if (card.button_selection) select(card.button_selection as Record<string, unknown>);
  const checkbox = card.checkbox as { question_key: string; option_list: Array<{ id: string; is_checked: boolean }>; disable?: boolean } | undefined;
  if (checkbox) {
    const ticked = choices[checkbox.question_key];
    if (ticked) for (const option of checkbox.option_list) option.is_checked = ticked.includes(option.id);
    if (locked) checkbox.disable = true;
  }
  if ('answered' in change) card.replace_text = change.answered;
  else {
    const title = (card.main_title ?? {}) as Record<string, unknown>;
    card.main_title = { ...title, desc: truncateChars(change.hint, WECOM.soft.mainTitleDesc) };
  }
  return { msgtype: 'template_card', template_card: card };
}

function dingtalkWithChoices(sent: RenderedMessage['dingtalk'], choices: Choices, change: Change): RenderedMessage['dingtalk'] {
  if (sent.kind !== 'card') return sent;
  const params = { ...sent.cardParamMap };
  const selects = JSON.parse(params.selects ?? '[]') as Array<{ questionKey: string; selected?: string[] }>;
  for (const select of selects) {
    const chosen = choices[select.questionKey];
    if (chosen && chosen.length > 0) select.selected = [...chosen];
  }
  params.selects = JSON.stringify(selects);
  if ('answered' in change) {
    params.answered = 'true';
    params.answerText = change.answered;
  } else params.subtitle = change.hint;
  return { ...sent, cardParamMap: params };
}
