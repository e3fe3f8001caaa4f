import type { RenderedMessage } from '../src/channels/channel';
import type { CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { formatLocalTime, type LocalTime } from './components/local-time';
import { renderCard } from './components/render-card';
import { truncateChars } from './components/utf8';

/** The owner's answer: accepted (签认), or not satisfied (不满意). */
export type OwnerSignOffAnswer = 'accepted' | 'not_accepted';

/** Props of the card that asks a project's owner to sign a finished warranty repair off. */
export interface OwnerSignOffProps {
  /** `hf_r<repairId>_signoff_<round>`. */
  cardId: string;
  officeName: string;
  project: string;
  location: string;
  description: string;
  /** What was done (the task sheet's measures); '' when none was written. */
  measures: string;
  doneAt: LocalTime;
  /** The signed sign-off page (`/w/:token`): the same answer, with the whole repair. */
  signOffUrl: string;
  /** Set to render the card after the tap. */
  answered?: OwnerSignOffAnswer;
}

/** Callback keys: 签认 and 不满意; the link opens the sign-off page. */
export const OWNER_SIGNOFF_KEYS = Object.freeze({ accept: 'signoff_accept', reject: 'signoff_reject', open: 'open_signoff' } as const);

/** What the card says once the owner has answered (whichever way the answer came). */
export const OWNER_SIGNOFF_ANSWERED: Readonly<Record<OwnerSignOffAnswer, string>> = Object.freeze({
  accepted: '已验收签认，谢谢',
  not_accepted: '已反馈不满意，我们会尽快处理',
});

/**
 * A finished warranty repair for the owner's sign-off (验收签认, docs/rules.md §7): one tap on
 * 签认 accepts it, in place of the signature on the repair log; 不满意 sends it back to the
 * warranty lead and the supervisors. The link opens the sign-off page with the whole repair.
 */
export function render(props: OwnerSignOffProps): RenderedMessage {
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: '保修维修完成，请验收签认',
    subtitle: `工程：${truncateChars(inlineText(props.project), 40)}`,
    fields: [
      { label: '部位', value: truncateChars(inlineText(props.location), 40) },
      { label: '完成时间', value: formatLocalTime(props.doneAt) },
    ],
    body: [
      `问题：${truncateChars(inlineText(props.description), 60)}`,
      ...(props.measures ? [`处理措施：${truncateChars(inlineText(props.measures), 80)}`] : []),
      '请查看后点「签认」，视同在保修记录上签字；如不满意请点「不满意」。',
    ],
    actions: [
      { kind: 'callback', text: '签认', key: OWNER_SIGNOFF_KEYS.accept, style: 'primary' },
      { kind: 'callback', text: '不满意', key: OWNER_SIGNOFF_KEYS.reject, style: 'danger' },
      { kind: 'link', text: '查看详情', key: OWNER_SIGNOFF_KEYS.open, url: props.signOffUrl, style: 'default' },
    ],
    answered: props.answered ? OWNER_SIGNOFF_ANSWERED[props.answered] : undefined,
  };
  return renderCard(model);
}
