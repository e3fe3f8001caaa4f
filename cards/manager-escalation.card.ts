import type { RenderedMessage } from '../src/channels/channel';
import type { VisitPurpose, WorkOrderKind } from '../src/rules/kinds';
import { answerFields, suggestionsLine } from './components/answer-fields';
import type { CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { visitKindLabel } from './components/labels';
import { renderCard } from './components/render-card';
import { truncateChars } from './components/utf8';
import { recorderField, type VisitRecordView } from './components/visit-record';

/** Props of the manager's card for an unqualified visit. */
export interface ManagerEscalationProps {
  /** `hf_<visitId>_escalate_<n>`. */
  cardId: string;
  officeName: string;
  kind: WorkOrderKind;
  purpose?: VisitPurpose;
  workOrder: { id: string; title: string };
  unit: string;
  record: VisitRecordView;
  /** The supervisor who judged it unqualified, and their opinion (审核意见). */
  supervisor: { name: string; opinion: string };
  /** Where the handling opinion (处理意见) is written back on the record. */
  handlingUrl: string;
  /** Render the card after the tap. */
  answered?: boolean;
}

/** Callback key of 已处理, and the key of the 填写处理意见 link button. */
export const MANAGER_ESCALATION_KEYS = Object.freeze({ handled: 'handled', openHandling: 'open_handling' } as const);

/**
 * An unqualified visit goes to the office manager, to be handled under the complaint
 * procedure (SOP 4.6): the record, the supervisor's opinion, 已处理 (`handled`) and a link
 * to write the handling opinion (or a text reply).
 */
export function render(props: ManagerEscalationProps): RenderedMessage {
  const { record } = props;
  const suggestion = suggestionsLine(record.answers, 40);
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    tone: 'warning',
    title: `【不合格回访】${visitKindLabel(props.kind, props.purpose)}：${inlineText(props.workOrder.title)}`,
    subtitle: `工单 ${props.workOrder.id} · 请按客户投诉建议处理规程处理`,
    fields: [
      { label: '房号', value: inlineText(props.unit) },
      recorderField(record),
      ...answerFields(record.answers, 'compact'),
      { label: '审核人', value: inlineText(props.supervisor.name) },
    ],
    body: [
      truncateChars(`主管意见：${inlineText(props.supervisor.opinion)}`, 60),
      ...(record.answers.solved === false ? ['住户表示问题未解决'] : []),
      ...(suggestion ? [suggestion] : []),
      '处理意见请点「填写处理意见」或直接回复文字，处理后点「已处理」。',
    ],
    actions: [
      { kind: 'callback', text: '已处理', key: MANAGER_ESCALATION_KEYS.handled, style: 'primary' },
      { kind: 'link', text: '填写处理意见', key: MANAGER_ESCALATION_KEYS.openHandling, url: props.handlingUrl, style: 'default' },
    ],
    answered: props.answered ? '已处理' : undefined,
  };
  return renderCard(model);
}
