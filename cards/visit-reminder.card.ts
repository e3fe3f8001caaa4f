import type { RenderedMessage } from '../src/channels/channel';
import type { VisitPurpose, WorkOrderKind } from '../src/rules/kinds';
import type { CardField, CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { SLOT_LABELS, visitKindLabel, type ReminderSlot } from './components/labels';
import { formatDueDay, formatDueWindow, type DueWindow } from './components/local-time';
import { renderCard } from './components/render-card';

/**
 * Where the resident stands when the staff member is reminded (docs/rules.md §4):
 * - `card_sent`: the resident's card is out; staff take over if it stays unanswered;
 * - `no_answer`: the resident did not answer (reminder included): phone or visit them;
 * - `no_chat`: no chat id for the resident: phone them, or pass on the survey link.
 * The phone number is for the staff member's call; it goes in the message, never in logs.
 */
export type ResidentReach =
  | { status: 'card_sent'; name?: string }
  | { status: 'no_answer'; name?: string; phone?: string }
  | { status: 'no_chat'; name?: string; phone: string; surveyUrl: string }
  /** A WeChat customer: the survey link went out as your customer-contact message. */
  | { status: 'link_sent'; name?: string; phone?: string }
  /** A visit the staff must make themselves (complaints, special services, emergencies). */
  | { status: 'staff_visit'; name?: string; phone?: string };

/** What the staff member tapped, for the update after the tap. */
export type VisitReminderAnswer = 'record_phone' | 'unreachable';

/** Props of the staff visit reminder. */
export interface VisitReminderProps {
  /** `hf_<visitId>_remind_<n>`: a new one per reminder and recipient. */
  cardId: string;
  officeName: string;
  kind: WorkOrderKind;
  purpose?: VisitPurpose;
  workOrder: { id: string; title: string };
  unit: string;
  /** The visit window, in the office's zone. */
  due: DueWindow;
  slot: ReminderSlot | 'assigned';
  resident: ResidentReach;
  /** The staff record form (signed link). */
  recordFormUrl: string;
  /** Set to render the card after the tap (buttons greyed out). */
  answered?: VisitReminderAnswer;
}

/** Callback keys of the reminder's buttons. */
export const VISIT_REMINDER_KEYS = Object.freeze({
  recordPhone: 'record_phone',
  unreachable: 'unreachable',
  /** A link button (opens the record form); listed for DingTalk's template, never called back. */
  openRecordForm: 'open_record_form',
} as const);

const ANSWERED_TEXT: Record<VisitReminderAnswer, string> = {
  record_phone: '已选择：电话回访',
  unreachable: '已报告：住户联系不上',
};

const BODY: Record<ResidentReach['status'], string> = {
  card_sent: '住户的回访卡片已发出，等待住户作答；如住户未回复，请改为电话或上门回访。',
  no_answer: '住户未回复回访卡片，请电话或上门回访，完成后点「记录电话回访」或「填写记录」。',
  no_chat: '住户无法在线接收回访卡片，请致电住户回访，也可把问卷链接发给住户自行填写。',
  link_sent: '问卷链接已作为您的客户联系消息待发，请在企业微信中确认发送给住户；如住户未作答，请电话或上门回访。',
  staff_visit: '本次回访须由您亲自完成（电话、上门或面谈），完成后请填写记录，住户将收到卡片确认记录。',
};

function residentFields(resident: ResidentReach): CardField[] {
  const fields: CardField[] = [];
  if (resident.status === 'card_sent') fields.push({ label: '住户卡片', value: '已发出，待作答' });
  if (resident.status === 'no_answer') fields.push({ label: '住户卡片', value: '住户未回复' });
  if (resident.status === 'link_sent') fields.push({ label: '问卷链接', value: '待您确认发送' });
  if (resident.name) fields.push({ label: '住户', value: inlineText(resident.name) });
  if (resident.status !== 'card_sent' && resident.status !== 'link_sent' && resident.phone) fields.push({ label: '住户电话', value: resident.phone });
  if (resident.status === 'no_chat') fields.push({ label: '问卷链接', value: '发给住户', url: resident.surveyUrl });
  return fields;
}

/**
 * The reminder to the visitor(s) of a due visit: when the window opens, halfway, and on its
 * last day (docs/rules.md §4). Buttons: 记录电话回访 (`record_phone`) and 联系不上 (`unreachable`)
 * call back; 填写记录 opens the record form.
 */
export function render(props: VisitReminderProps): RenderedMessage {
  const model: CardModel = {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    tone: props.slot === 'last_day' || props.resident.status === 'no_answer' ? 'warning' : 'normal',
    title: `【${props.slot === 'assigned' ? '新指派' : SLOT_LABELS[props.slot]}】${visitKindLabel(props.kind, props.purpose)}：${inlineText(props.workOrder.title)}`,
    subtitle: `请在 ${formatDueDay(props.due)} 前完成回访`,
    fields: [
      { label: '工单号', value: props.workOrder.id },
      { label: '房号', value: inlineText(props.unit) },
      { label: '回访期限', value: formatDueWindow(props.due) },
      ...residentFields(props.resident),
    ],
    body: [BODY[props.resident.status]],
    actions: [
      { kind: 'callback', text: '记录电话回访', key: VISIT_REMINDER_KEYS.recordPhone, style: 'primary' },
      { kind: 'callback', text: '联系不上', key: VISIT_REMINDER_KEYS.unreachable, style: 'default' },
      { kind: 'link', text: '填写记录', key: VISIT_REMINDER_KEYS.openRecordForm, url: props.recordFormUrl, style: 'default' },
    ],
    answered: props.answered ? ANSWERED_TEXT[props.answered] : undefined,
  };
  return renderCard(model);
}
