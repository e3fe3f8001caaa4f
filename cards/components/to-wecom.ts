import type { WecomMessage } from '../../src/channels/channel';
import { cardIdentity } from './card-id';
import { isInteractive, type ActionStyle, type CardField, type CardModel, type CardQuestion } from './card-model';
import { WECOM } from './platform-limits';
import { truncateBytes, truncateChars } from './utf8';

/** WeCom button styles 1–4 are shown only as a picture in the docs; chosen by eye. */
const STYLE: Record<ActionStyle, number> = { primary: 1, default: 2, danger: 3 };

/**
 * The WeCom app message of a card model (docs/wecom.md §2): a `template_card` whose type follows
 * from what the model asks (see card-model.ts), or a `text` message for a model with
 * nothing to answer and no link.
 *
 * Invariant: the result passes `checkWecomMessage` for any model whose labels and keys are
 * sound: display text is cut to WeCom's soft lengths here, hard limits throw.
 *
 * @throws Error when the model cannot be a WeCom card (more than six rows, fields on a
 *   vote card, a missing submit…): a bug in the card, never in data.
 */
export function toWecom(model: CardModel): WecomMessage {
  if (!isInteractive(model)) {
    return model.link ? textNotice(model) : textMessage(model);
  }
  const { taskId } = cardIdentity(requireCardId(model));
  const questions = model.questions ?? [];
  const actions = model.actions ?? [];
  if (questions.some((question) => question.multiple)) return voteCard(model, taskId, questions);
  if (actions.length === 0) return multipleCard(model, taskId, questions);
  return buttonCard(model, taskId);
}

function requireCardId(model: CardModel): string {
  if (!model.cardId) throw new Error(`Card "${model.title}" takes answers but has no cardId`);
  return model.cardId;
}

function source(model: CardModel): Record<string, unknown> {
  // desc_color 2 (red) flags trouble; 0 is WeCom's default grey.
  return { desc: truncateChars(model.source, WECOM.soft.sourceDesc), desc_color: model.tone === 'warning' ? 2 : 0 };
}

function mainTitle(model: CardModel, titleChars: number = WECOM.soft.mainTitle): Record<string, unknown> {
  const title: Record<string, unknown> = { title: truncateChars(model.title, titleChars) };
  if (model.subtitle) title.desc = truncateChars(model.subtitle, WECOM.soft.mainTitleDesc);
  return title;
}

function subTitleText(model: CardModel): string | undefined {
  const body = (model.body ?? []).filter((line) => line !== '');
  return body.length > 0 ? truncateChars(body.join('\n'), WECOM.soft.subTitleText) : undefined;
}

function rows(fields: CardField[] | undefined): Record<string, unknown>[] | undefined {
  if (!fields || fields.length === 0) return undefined;
  if (fields.length > WECOM.horizontalRowsMax) {
    throw new Error(`WeCom cards show at most ${WECOM.horizontalRowsMax} rows, got ${fields.length}`);
  }
  return fields.map((field) =>
    field.url
      ? { type: 1, keyname: field.label, value: field.value, url: field.url }
      : { keyname: field.label, value: field.value },
  );
}

/** Puts the optional blocks in, leaving out the empty ones (WeCom rejects empty strings). */
function withOptional(card: Record<string, unknown>, optional: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) card[key] = value;
  }
  return card;
}

function refuseExtras(model: CardModel, cardType: string): void {
  // Vote and multiple cards have no rows, body or links (docs/wecom.md §2.6–§2.7): the text
  // would vanish silently, so a card that needs them must ask with buttons instead.
  if ((model.fields?.length ?? 0) > 0 || (model.body?.length ?? 0) > 0 || model.link || (model.actions?.length ?? 0) > 0) {
    throw new Error(`A ${cardType} card shows only a title, a subtitle and its questions ("${model.title}")`);
  }
  if (!model.submit) throw new Error(`A ${cardType} card needs a submit button ("${model.title}")`);
}

function voteCard(model: CardModel, taskId: string, questions: CardQuestion[]): WecomMessage {
  refuseExtras(model, 'vote_interaction');
  if (questions.length !== 1) throw new Error('A vote_interaction card asks exactly one question');
  const [question] = questions as [CardQuestion];
  const chosen = new Set(question.chosen ?? []);
  const checkbox: Record<string, unknown> = {
    question_key: question.key,
    mode: question.multiple ? 1 : 0,
    option_list: question.options.map((option) => ({
      id: option.id,
      text: truncateChars(option.text, WECOM.soft.voteOptionText),
      is_checked: chosen.has(option.id),
    })),
  };
  if (model.answered) checkbox.disable = true;
  const card = withOptional(
    {
      card_type: 'vote_interaction',
      source: source(model),
      main_title: mainTitle(model, WECOM.soft.voteMainTitle),
      task_id: taskId,
      checkbox,
      submit_button: { text: model.submit!.text, key: model.submit!.key },
    },
    { replace_text: model.answered },
  );
  return { msgtype: 'template_card', template_card: card };
}

/**
 * Option id of the 请选择 entry that heads a drop-down nobody has answered yet. WeCom shows the
 * first option as selected when `selected_id` is absent (docs/wecom.md §2.7), so without it a
 * submit that touched nothing would send the first real option — 很好 / 非常满意 — as if
 * chosen. A submit that still carries this id answered nothing (see card-taps).
 */
export const NOT_CHOSEN_OPTION_ID = 'not_chosen';

function selectEntry(question: CardQuestion, answered: boolean): Record<string, unknown> {
  const [chosen] = question.chosen ?? [];
  const options = question.options.map((option) => ({ id: option.id, text: option.text }));
  const entry: Record<string, unknown> = {
    question_key: question.key,
    title: question.title,
    option_list: chosen === undefined && !answered ? [{ id: NOT_CHOSEN_OPTION_ID, text: '请选择' }, ...options] : options,
    selected_id: chosen ?? (answered ? undefined : NOT_CHOSEN_OPTION_ID),
  };
  if (entry.selected_id === undefined) delete entry.selected_id;
  if (answered) entry.disable = true;
  return entry;
}

function multipleCard(model: CardModel, taskId: string, questions: CardQuestion[]): WecomMessage {
  refuseExtras(model, 'multiple_interaction');
  const card = withOptional(
    {
      card_type: 'multiple_interaction',
      source: source(model),
      main_title: mainTitle(model),
      task_id: taskId,
      select_list: questions.map((question) => selectEntry(question, Boolean(model.answered))),
      submit_button: { text: model.submit!.text, key: model.submit!.key },
    },
    { replace_text: model.answered },
  );
  return { msgtype: 'template_card', template_card: card };
}

function buttonCard(model: CardModel, taskId: string): WecomMessage {
  const questions = model.questions ?? [];
  if (questions.length > 1) throw new Error('A button_interaction card holds at most one drop-down');
  if (model.submit) throw new Error('A button card submits with its buttons; use an action instead of submit');
  const [selection] = questions;
  const card = withOptional(
    {
      card_type: 'button_interaction',
      source: source(model),
      main_title: mainTitle(model),
    },
    {
      sub_title_text: subTitleText(model),
      horizontal_content_list: rows(model.fields),
      card_action: model.link ? { type: 1, url: model.link.url } : undefined,
      task_id: taskId,
      button_selection: selection ? selectEntry(selection, Boolean(model.answered)) : undefined,
      button_list: (model.actions ?? []).map((action) => {
        const text = truncateChars(action.text, WECOM.soft.buttonText);
        const style = STYLE[action.style ?? 'default'];
        // Link buttons (type 1) open the page and call nobody, so they carry no key.
        return action.kind === 'link' ? { type: 1, text, style, url: action.url } : { type: 0, text, style, key: action.key };
      }),
      replace_text: model.answered,
    },
  );
  return { msgtype: 'template_card', template_card: card };
}

function textNotice(model: CardModel): WecomMessage {
  const link = model.link!;
  const card = withOptional(
    {
      card_type: 'text_notice',
      source: source(model),
      main_title: mainTitle(model),
    },
    {
      sub_title_text: subTitleText(model),
      horizontal_content_list: rows(model.fields),
      jump_list: [{ type: 1, title: link.text, url: link.url }],
      card_action: { type: 1, url: link.url },
    },
  );
  return { msgtype: 'template_card', template_card: card };
}

function textMessage(model: CardModel): WecomMessage {
  const lines = [
    model.subtitle ? `${model.title}\n${model.subtitle}` : model.title,
    ...(model.fields ?? []).map((field) => `${field.label}：${field.value}${field.url ? ` ${field.url}` : ''}`),
    ...(model.body ?? []),
  ];
  return { msgtype: 'text', text: { content: truncateBytes(lines.join('\n'), WECOM.textMaxBytes) } };
}
