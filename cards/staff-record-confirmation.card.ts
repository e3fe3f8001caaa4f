import type { RenderedMessage } from '../src/channels/channel';
import type { VisitPurpose, WorkOrderKind } from '../src/rules/kinds';
import { answerFields, suggestionsLine } from './components/answer-fields';
import type { CardAction, CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { METHOD_LABELS, visitKindLabel } from './components/labels';
import { formatLocalTime } from './components/local-time';
import { renderCard } from './components/render-card';
import { truncateChars } from './components/utf8';
import type { VisitRecordView } from './components/visit-record';

/** Props of the card on which a staff member confirms their own record. */
export interface StaffRecordConfirmationProps {
  /** `hf_<visitId>_sconfirm_<n>`. */
  cardId: string;
  officeName: string;
  kind: WorkOrderKind;
  purpose?: VisitPurpose;
  workOrder: { id: string; title: string };
  unit: string;
  record: VisitRecordView;
  /** The record page, where a mistake is corrected (a new history entry, never an edit). */
  recordUrl?: string;
  /** Render the card after the tap. */
  answered?: boolean;
}

/** Callback key of 确认, and the key of the 修改记录 link button. */
export const STAFF_RECORD_CONFIRMATION_KEYS = Object.freeze({ confirm: 'staff_confirm', openRecord: 'open_record' } as const);

/**
 * The staff member confirms the record they made (SOP 4.5, 回访人确认): the answers as
 * recorded, and 确认 (`staff_confirm`); 修改记录 opens the record page when given.
 */
export function render(props: StaffRecordConfirmationProps): RenderedMessage {
  const { record } = props;
  const actions: CardAction[] = [{ kind: 'callback', text: '确认', key: STAFF_RECORD_CONFIRMATION_KEYS.confirm, style: 'primary' }];
  if (props.recordUrl) {
    actions.push({ kind: 'link', text: '修改记录', key: STAFF_RECORD_CONFIRMATION_KEYS.openRecord, url: props.recordUrl, style: 'default' });
  }
  const notes = record.notes ? truncateChars(`备注：${inlineText(record.notes)}`, 40) : undefined;
  const suggestion = suggestionsLine(record.answers, 40);
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    title: `请确认您的回访记录：${inlineText(props.workOrder.title)}`,
    subtitle: `${visitKindLabel(props.kind, props.purpose)} · ${props.workOrder.id}`,
    fields: [{ label: '房号', value: inlineText(props.unit) }, ...answerFields(record.answers, 'full')],
    body: [
      `${METHOD_LABELS[record.method]} · ${formatLocalTime(record.recordedAt)} 记录${record.late ? '（逾期完成）' : ''}`,
      ...(suggestion ? [suggestion] : []),
      ...(notes ? [notes] : []),
      '请核对以上内容，无误请点「确认」。',
    ],
    actions,
    answered: props.answered ? '已确认' : undefined,
  };
  return renderCard(model);
}
