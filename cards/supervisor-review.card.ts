import type { RenderedMessage } from '../src/channels/channel';
import type { VisitPurpose, WorkOrderKind } from '../src/rules/kinds';
import { answerFields, solvedText, suggestionsLine } from './components/answer-fields';
import type { CardModel } from './components/card-model';
import { inlineText } from './components/inline-text';
import { visitKindLabel } from './components/labels';
import { formatDueWindow, formatLocalTime, type DueWindow, type LocalTime } from './components/local-time';
import { renderCard } from './components/render-card';
import { recorderField, type VisitRecordView } from './components/visit-record';

/** What every supervisor card names. */
interface SupervisorCardBase {
  officeName: string;
  kind: WorkOrderKind;
  purpose?: VisitPurpose;
  workOrder: { id: string; title: string };
  unit: string;
  /** The visit's page: the record, and where the opinion (审核意见) is written. */
  visitUrl: string;
  /** Visit id and date: keeps DingTalk work notices from being dropped as duplicates. */
  uniqueTag: string;
}

/** The supervisor's verdict, for the update after the tap. */
export type ReviewVerdict = 'ok' | 'unqualified';

/**
 * Props of the supervisor's card (SOP 4.6), by `variant`:
 * - `review`: a recorded visit to review; verdict buttons;
 * - `unqualified`: the same, for a record that is unqualified at once (flag in the title);
 * - `overdue`: the window closed and nothing is recorded (a notice, no buttons);
 * - `no_answer`: the resident did not answer the card; the visit went back to staff (a notice).
 */
export type SupervisorReviewProps =
  | (SupervisorCardBase & {
      variant: 'review' | 'unqualified';
      /** `hf_<visitId>_review_<n>`. */
      cardId: string;
      record: VisitRecordView;
      answered?: ReviewVerdict;
    })
  | (SupervisorCardBase & { variant: 'overdue'; due: DueWindow; assignees: string[] })
  | (SupervisorCardBase & { variant: 'no_answer'; askedAt: LocalTime; assignees: string[] });

/** Callback keys of the verdict buttons, and the key of the 填写意见 link button. */
export const SUPERVISOR_REVIEW_KEYS = Object.freeze({
  ok: 'review_ok',
  unqualified: 'review_unqualified',
  openOpinion: 'open_opinion',
} as const);

const VERDICT_TEXT: Record<ReviewVerdict, string> = {
  ok: '已审核：通过',
  unqualified: '已审核：不合格，已转经理',
};

function subject(props: SupervisorCardBase): string {
  return `${visitKindLabel(props.kind, props.purpose)}：${inlineText(props.workOrder.title)}`;
}

function names(assignees: string[]): string {
  return assignees.length > 0 ? assignees.map(inlineText).join('、') : '未分配';
}

function review(props: Extract<SupervisorReviewProps, { variant: 'review' | 'unqualified' }>): CardModel {
  const { record } = props;
  const unqualified = props.variant === 'unqualified';
  const suggestion = suggestionsLine(record.answers, 40);
  const facts = [
    ...(record.answers.solved === false ? [`问题${solvedText(false)}`] : []),
    ...(record.late ? ['逾期完成'] : []),
    `${formatLocalTime(record.recordedAt)} 记录`,
  ];
  return {
    cardId: props.cardId,
    source: inlineText(props.officeName),
    tone: unqualified ? 'warning' : 'normal',
    title: `${unqualified ? '【不合格】' : '回访审核 · '}${subject(props)}`,
    subtitle: unqualified ? '住户评价已达不合格标准，不能通过：请填写意见并转经理处理' : `工单 ${props.workOrder.id}`,
    fields: [
      { label: '房号', value: inlineText(props.unit) },
      recorderField(record),
      ...answerFields(record.answers, 'compact'),
      { label: '住户确认', value: record.residentConfirmed ? '已确认' : '待确认' },
    ],
    body: [facts.join('；'), ...(suggestion ? [suggestion] : []), '审核意见可直接回复文字，或点「填写意见」。'],
    // An unqualified record cannot be passed (SOP 4.6): it goes to the manager with the opinion.
    actions: unqualified
      ? [
          { kind: 'callback', text: '转经理处理', key: SUPERVISOR_REVIEW_KEYS.unqualified, style: 'danger' },
          { kind: 'link', text: '填写意见', key: SUPERVISOR_REVIEW_KEYS.openOpinion, url: props.visitUrl, style: 'default' },
        ]
      : [
          { kind: 'callback', text: '通过', key: SUPERVISOR_REVIEW_KEYS.ok, style: 'primary' },
          { kind: 'callback', text: '不合格', key: SUPERVISOR_REVIEW_KEYS.unqualified, style: 'danger' },
          { kind: 'link', text: '填写意见', key: SUPERVISOR_REVIEW_KEYS.openOpinion, url: props.visitUrl, style: 'default' },
        ],
    answered: props.answered ? VERDICT_TEXT[props.answered] : undefined,
  };
}

function overdue(props: Extract<SupervisorReviewProps, { variant: 'overdue' }>): CardModel {
  return {
    source: inlineText(props.officeName),
    tone: 'warning',
    title: `【逾期】${subject(props)}`,
    subtitle: '回访窗口已关闭，尚未记录',
    fields: [
      { label: '工单号', value: props.workOrder.id },
      { label: '房号', value: inlineText(props.unit) },
      { label: '回访期限', value: formatDueWindow(props.due) },
      { label: '回访人', value: names(props.assignees) },
    ],
    body: ['逾期回访仍可补做，记为逾期完成，并列入周报。'],
    link: { text: '查看回访', url: props.visitUrl },
    uniqueTag: props.uniqueTag,
  };
}

function noAnswer(props: Extract<SupervisorReviewProps, { variant: 'no_answer' }>): CardModel {
  return {
    source: inlineText(props.officeName),
    title: `住户未回复 · ${subject(props)}`,
    subtitle: '提醒后仍未回复，已转回访人电话或上门回访',
    fields: [
      { label: '工单号', value: props.workOrder.id },
      { label: '房号', value: inlineText(props.unit) },
      { label: '卡片发出', value: formatLocalTime(props.askedAt) },
      { label: '回访人', value: names(props.assignees) },
    ],
    link: { text: '查看回访', url: props.visitUrl },
    uniqueTag: props.uniqueTag,
  };
}

/**
 * The supervisor's card: review of a recorded visit (通过 `review_ok` / 不合格
 * `review_unqualified`; the opinion by the 填写意见 link or a text reply), or a notice that a
 * visit is overdue or that its resident did not answer (docs/rules.md §4).
 */
export function render(props: SupervisorReviewProps): RenderedMessage {
  switch (props.variant) {
    case 'review':
    case 'unqualified':
      return renderCard(review(props));
    case 'overdue':
      return renderCard(overdue(props));
    case 'no_answer':
      return renderCard(noAnswer(props));
  }
}
