/*
 * The channel-neutral card: what a card says and which answers it takes, with no WeCom or
 * DingTalk shape in it. Each `*.card.ts` builds one of these from its props; `renderCard`
 * turns it into both platforms' messages (`to-wecom.ts`, `to-dingtalk.ts`).
 *
 * Which WeCom card type a model becomes follows from what it asks (docs/wecom.md §2.4–§2.8):
 * - actions (buttons), with at most one single-choice question → `button_interaction`
 *   (the question becomes its `button_selection`);
 * - one multiple-choice question and a submit → `vote_interaction`;
 * - one to three single-choice questions and a submit → `multiple_interaction`;
 * - nothing to answer, with a link → `text_notice`; without a link → a `text` message.
 * Vote and multiple cards can show only a title, a subtitle and the questions, so a model
 * that asks that way may not carry fields or body text (the renderer refuses it).
 *
 * On DingTalk an answering model becomes an instance of the generic card template
 * (cards/README.md); a model with nothing to answer becomes a work notice.
 */

/** How a card is coloured where the platform allows it: `warning` marks trouble. */
export type CardTone = 'normal' | 'warning';

/** How a button looks: WeCom styles 1 / 2 / 3, DingTalk template `style`. */
export type ActionStyle = 'primary' | 'default' | 'danger';

/** One labelled row: `房号 B3-1202`. A row with `url` is a link (WeCom type 1 row). */
export interface CardField {
  /** Short label; WeCom suggests about five characters. */
  label: string;
  value: string;
  url?: string;
}

/** A button: a callback with a `key`, or a link that opens `url` (and calls nobody). */
export type CardAction =
  | { kind: 'callback'; text: string; key: string; style?: ActionStyle }
  | { kind: 'link'; text: string; key: string; url: string; style?: ActionStyle };

/** One choice of a question; `id` is what comes back in the callback. */
export interface CardOption {
  id: string;
  text: string;
}

/** A question answered on the card: a drop-down (single) or check boxes (`multiple`). */
export interface CardQuestion {
  /** Comes back as the callback's question key (`selections[key]`). */
  key: string;
  title: string;
  options: CardOption[];
  multiple?: boolean;
  /** Option ids shown as chosen (the answered state, or a prefill). */
  chosen?: readonly string[];
}

/** One card, said once for both platforms. */
export interface CardModel {
  /** Becomes WeCom `task_id` and DingTalk `outTrackId`; required when the card takes answers. */
  cardId?: string;
  /** Who the card is from, shown small at its top (WeCom `source.desc`). */
  source: string;
  tone?: CardTone;
  title: string;
  /** One line under the title (WeCom `main_title.desc`). */
  subtitle?: string;
  fields?: CardField[];
  /** Plain-text paragraphs (WeCom `sub_title_text`, DingTalk markdown body). */
  body?: string[];
  questions?: CardQuestion[];
  actions?: CardAction[];
  /** The button that sends the questions' answers (vote / multiple cards). */
  submit?: { text: string; key: string };
  /** Where tapping the card leads (WeCom `card_action`, DingTalk `link`). */
  link?: { text: string; url: string };
  /**
   * Set for the update after a tap: buttons greyed out with this text, questions locked on
   * their `chosen` options (WeCom `replace_text` + `disable`, DingTalk `answered`/`answerText`).
   */
  answered?: string;
  /**
   * What makes a DingTalk work notice unique (visit id and date): DingTalk silently drops
   * identical content to the same person on the same day (docs/dingtalk.md §3.3).
   */
  uniqueTag?: string;
}

/** Whether a model takes answers (and so is an interactive card on both platforms). */
export function isInteractive(model: CardModel): boolean {
  return (model.actions?.length ?? 0) > 0 || (model.questions?.length ?? 0) > 0;
}
