import type { DingtalkMessage } from '../../src/channels/channel';
import { cardIdentity } from './card-id';
import { isInteractive, type CardField, type CardModel } from './card-model';
import { DINGTALK } from './platform-limits';
import { charLength, truncateBytes, truncateChars, utf8Bytes } from './utf8';

/**
 * The DingTalk form of a card model: an instance of the generic card template when the
 * model takes answers (every variable a string, cards/README.md), else a work notice
 * (`asyncsend_v2` `msg`, snake_case, docs/dingtalk.md §3.1) that carries the model's
 * `uniqueTag` so DingTalk's same-content-same-day filter never eats it.
 *
 * Invariant: the result passes `checkDingtalkMessage`: param values ≤ 1 KB, notice `msg`
 * ≤ 2048 bytes as JSON, text cut on whole characters where it must be.
 *
 * @throws Error for a notice model without `uniqueTag` (a bug in the card).
 */
export function toDingtalk(model: CardModel): DingtalkMessage {
  return isInteractive(model) ? templateCard(model) : workNotice(model);
}

/** One variable of the generic template, cut to the card API's 1 KB per value. */
function param(text: string): string {
  return truncateBytes(text, DINGTALK.paramValueMaxBytes);
}

/** Rows with a link go to the markdown body as links; the template's `fields` are plain. */
function linkLines(fields: CardField[]): string[] {
  return fields.filter((field) => field.url).map((field) => `**${field.label}**：[${field.value}](${field.url})`);
}

/**
 * `fields` as JSON text within 1 KB: the longest value is cut first, so one long
 * free-text row cannot push the short ones out.
 */
function fieldsParam(fields: CardField[]): string {
  const rows = fields.filter((field) => !field.url).map((field) => ({ label: field.label, value: field.value }));
  let text = JSON.stringify(rows);
  while (utf8Bytes(text) > DINGTALK.paramValueMaxBytes) {
    const longest = rows.reduce((a, b) => (charLength(b.value) > charLength(a.value) ? b : a));
    const length = charLength(longest.value);
    if (length <= 2) throw new Error('DingTalk card fields do not fit in 1 KB even when cut');
    longest.value = truncateChars(longest.value, Math.floor(length * 0.8));
    text = JSON.stringify(rows);
  }
  return text;
}

function templateCard(model: CardModel): DingtalkMessage {
  const { outTrackId } = cardIdentity(model.cardId ?? '');
  const fields = model.fields ?? [];
  const markdown = [...(model.body ?? []), ...linkLines(fields)].filter((line) => line !== '').join('\n\n');
  const buttons = (model.actions ?? []).map((action) => {
    const button: Record<string, string> = { text: action.text, key: action.key, style: action.style ?? 'default' };
    if (action.kind === 'link') button.url = action.url;
    return button;
  });
  if (model.submit) buttons.push({ text: model.submit.text, key: model.submit.key, style: 'primary' });
  const selects = (model.questions ?? []).map((question) => {
    const select: Record<string, unknown> = {
      questionKey: question.key,
      title: question.title,
      options: question.options.map((option) => ({ id: option.id, text: option.text })),
    };
    if (question.multiple) select.multiple = true;
    if (question.chosen && question.chosen.length > 0) select.selected = [...question.chosen];
    return select;
  });
  // Every variable is always present, so an update replaces the whole state of the card.
  const cardParamMap: Record<string, string> = {
    title: param(model.title),
    subtitle: param(model.subtitle ?? ''),
    markdown: param(markdown),
    fields: fieldsParam(fields),
    buttons: JSON.stringify(buttons),
    selects: JSON.stringify(selects),
    answered: model.answered ? 'true' : 'false',
    answerText: param(model.answered ?? ''),
    link: model.link?.url ?? '',
  };
  for (const [key, value] of Object.entries(cardParamMap)) {
    if (utf8Bytes(value) > DINGTALK.paramValueMaxBytes) {
      throw new Error(`DingTalk card variable "${key}" is over 1 KB ("${model.title}")`);
    }
  }
  return { kind: 'card', outTrackId, cardParamMap };
}

function workNotice(model: CardModel): DingtalkMessage {
  if (!model.uniqueTag) {
    throw new Error(`DingTalk work notice "${model.title}" needs a uniqueTag (same content is dropped once a day)`);
  }
  const head = [`### ${model.title}`, ...(model.subtitle ? [model.subtitle] : [])].join('\n\n');
  const rows = (model.fields ?? []).map((field) =>
    field.url ? `- **${field.label}**：[${field.value}](${field.url})` : `- **${field.label}**：${field.value}`,
  );
  const middle = [rows.join('\n'), ...(model.body ?? [])].filter((part) => part !== '').join('\n\n');
  // The tag goes last and is never cut: it is what keeps the notice from being dropped.
  const tail = `（${model.uniqueTag}）`;
  const build = (text: string): Record<string, unknown> => {
    const markdown = [head, text, tail].filter((part) => part !== '').join('\n\n');
    if (!model.link) return { msgtype: 'markdown', markdown: { title: model.title, text: markdown } };
    return {
      msgtype: 'action_card',
      action_card: {
        title: model.title,
        markdown,
        single_title: truncateChars(model.link.text, DINGTALK.actionCardSingleTitleMaxChars),
        single_url: model.link.url,
      },
    };
  };
  return { kind: 'notice', msg: fitNotice(middle, build) };
}

/**
 * The notice with `text` cut until the whole `msg` is within 2048 bytes of JSON (escapes
 * count, which is why this measures the JSON rather than the text).
 */
function fitNotice(text: string, build: (text: string) => Record<string, unknown>): Record<string, unknown> {
  let msg = build(text);
  let over = utf8Bytes(JSON.stringify(msg)) - DINGTALK.noticeMsgMaxBytes;
  while (over > 0) {
    const room = utf8Bytes(text) - over;
    if (room <= 0) throw new Error('DingTalk work notice does not fit in 2048 bytes even without its body');
    text = truncateBytes(text, room);
    msg = build(text);
    over = utf8Bytes(JSON.stringify(msg)) - DINGTALK.noticeMsgMaxBytes;
  }
  return msg;
}
