import type { RenderedMessage } from '../src/channels/channel';
import type { WorkOrderKind } from '../src/rules/kinds';
import { answerFields, suggestionsLine, type RecordedAnswers } from './components/answer-fields';
import type { CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { METHOD_LABELS, SERVICE_LABELS, type VisitMethodCode } from './components/labels';
import { formatLocalTime, type LocalTime } from './components/local-time';
import { renderCard } from './components/render-card';

/** The resident's answer to a record made by staff. */
export type ResidentConfirmationAnswer = 'confirm' | 'dispute';

/** Props of the card that asks the resident to confirm a record made by staff. */
export interface ResidentConfirmationProps {
  /** `hf_<visitId>_rconfirm_<n>`. */
  cardId: string;
  officeName: string;
  kind: WorkOrderKind;
  workOrder: { title: string };
  method: VisitMethodCode;
  staffName: string;
  recordedAt: LocalTime;
  answers: RecordedAnswers;
  /** Set to render the card after the tap. */
  answered?: ResidentConfirmationAnswer;
}

/** Callback keys: 确认无误 and 有异议. */
export const RESIDENT_CONFIRMATION_KEYS = Object.freeze({ confirm: 'confirm', dispute: 'dispute' } as const);

const ANSWERED_TEXT: Record<ResidentConfirmationAnswer, string> = {
  confirm: '已确认无误，谢谢',
  dispute: '已提出异议，我们会联系您',
};

/**
 * After a visit by phone, on site or face to face, the resident confirms what staff
 * recorded with one tap: the confirmation replaces the paper signature (SOP 4.4,
 * 请住户签名确认). Buttons 确认无误 (`confirm`) and 有异议 (`dispute`).
 */
export function render(props: ResidentConfirmationProps): RenderedMessage {
  const suggestion = suggestionsLine(props.answers, 40);
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: '请确认回访记录',
    subtitle: `${SERVICE_LABELS[props.kind]}：${inlineText(props.workOrder.title)}`,
    fields: [
      { label: '回访方式', value: `${METHOD_LABELS[props.method]} · ${inlineText(props.staffName)}` },
      ...answerFields(props.answers, 'full'),
    ],
    body: [
      `回访时间：${formatLocalTime(props.recordedAt)}`,
      ...(suggestion ? [suggestion] : []),
      '以上是工作人员记录的回访内容。无误请点「确认无误」，视同签字确认；如有不符请点「有异议」。',
    ],
    actions: [
      { kind: 'callback', text: '确认无误', key: RESIDENT_CONFIRMATION_KEYS.confirm, style: 'primary' },
      { kind: 'callback', text: '有异议', key: RESIDENT_CONFIRMATION_KEYS.dispute, style: 'danger' },
    ],
    answered: props.answered ? ANSWERED_TEXT[props.answered] : undefined,
  };
  return renderCard(model);
}
