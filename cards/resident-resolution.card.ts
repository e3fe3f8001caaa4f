import type { RenderedMessage } from '../src/channels/channel';
import type { WorkOrderKind } from '../src/rules/kinds';
import type { CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { SERVICE_LABELS } from './components/labels';
import { formatLocalTime, type LocalTime } from './components/local-time';
import { renderCard } from './components/render-card';
import { truncateChars } from './components/utf8';

/** The resident's answer: solved now, or still not. */
export type ResidentResolutionAnswer = 'solved' | 'not_solved';

/** Props of the card that asks the resident whether the handled problem is solved now. */
export interface ResidentResolutionProps {
  /** `hf_<visitId>_…_res_<round>_…`. */
  cardId: string;
  officeName: string;
  kind: WorkOrderKind;
  workOrder: { title: string };
  /** When the manager wrote the handling, and what it says (the resident's own matter). */
  handledAt: LocalTime;
  handling: string;
  /** Set to render the card after the tap. */
  answered?: ResidentResolutionAnswer;
}

/** Callback keys: 已解决 and 仍未解决. */
export const RESIDENT_RESOLUTION_KEYS = Object.freeze({ solved: 'resolution_solved', notSolved: 'resolution_not_solved' } as const);

const ANSWERED_TEXT: Record<ResidentResolutionAnswer, string> = {
  solved: '感谢确认，问题已解决',
  not_solved: '已收到，经理会再次处理',
};

/**
 * After the manager handled an unsatisfactory visit, the resident is asked once whether the
 * problem is solved now (docs/rules.md §4): 已解决 closes the visit as resolved; 仍未解决 sends it
 * back to the manager once more, with the supervisor told.
 */
export function render(props: ResidentResolutionProps): RenderedMessage {
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: '您反映的问题解决了吗？',
    subtitle: `${SERVICE_LABELS[props.kind]}：${inlineText(props.workOrder.title)}`,
    fields: [{ label: '处理时间', value: formatLocalTime(props.handledAt) }],
    body: [`处理意见：${truncateChars(inlineText(props.handling), 120)}`, '请告诉我们问题现在是否已经解决。'],
    actions: [
      { kind: 'callback', text: '已解决', key: RESIDENT_RESOLUTION_KEYS.solved, style: 'primary' },
      { kind: 'callback', text: '仍未解决', key: RESIDENT_RESOLUTION_KEYS.notSolved, style: 'danger' },
    ],
    answered: props.answered ? ANSWERED_TEXT[props.answered] : undefined,
  };
  return renderCard(model);
}
