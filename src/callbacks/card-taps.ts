import { EntityManager } from 'typeorm';
import { OutboundMessage, Visit } from '../../entities';
import { MANAGER_ESCALATION_KEYS } from '../../cards/manager-escalation.card';
import { RESIDENT_CONFIRMATION_KEYS } from '../../cards/resident-confirmation.card';
import { RESIDENT_RESOLUTION_KEYS } from '../../cards/resident-resolution.card';
import { SATISFACTION_KEYS } from '../../cards/resident-satisfaction.card';
import { STAFF_RECORD_CONFIRMATION_KEYS } from '../../cards/staff-record-confirmation.card';
import { SUPERVISOR_REVIEW_KEYS } from '../../cards/supervisor-review.card';
import { VISIT_REMINDER_KEYS } from '../../cards/visit-reminder.card';
import { CallbackEvent } from '../channels/channel';
import { DomainError } from '../errors';
import { SHORTCOMING_CODES } from '../rules/shortcomings';
import { visitAnswersSchema } from '../visits/visit-answers';
import { CardPurpose } from '../visits/visit-card-ids';
import { VisitCommand } from '../visits/visit-decision';
import { ActorRef } from '../visits/visit-lifecycle.service';

type CardAction = Extract<CallbackEvent, { type: 'card_action' }>;

/** What a tap means: the lifecycle command, who made it, and the words the tapped card then shows. */
export interface TapStep {
  command: VisitCommand;
  actor: ActorRef;
  done: string;
}

/**
 * Reads a tap on one of our cards: which command of the visit lifecycle it is, made by the
 * person the card went to. Null for a tap that means nothing (an unknown button, a survey card
 * submitted without its answers): nothing changes and the card stays as it is. Reading the
 * staged survey's 确认 needs the answers already given, hence the transaction's manager.
 */
export function tapOf(card: OutboundMessage, event: CardAction): ((manager: EntityManager) => Promise<TapStep | null>) | null {
  const staff: ActorRef = { kind: 'staff', id: card.recipientId };
  const resident: ActorRef = { kind: 'resident', via: `${event.channel}:${event.userId}` };
  const key = event.actionKey;
  const step = (command: VisitCommand, actor: ActorRef, done: string) => async () => ({ command, actor, done });
  switch (card.purpose) {
    case CardPurpose.StaffReminder:
      if (key === VISIT_REMINDER_KEYS.recordPhone) return step({ type: 'note_staff_action', action: 'visit_started', details: { method: 'phone' } }, staff, '已选择：电话回访，请填写记录');
      if (key === VISIT_REMINDER_KEYS.unreachable) return step({ type: 'note_staff_action', action: 'resident_unreachable' }, staff, '已报告：住户联系不上');
      return null;
    case CardPurpose.ResidentSurvey:
      return surveyTap(card, event, resident);
    case CardPurpose.ResidentConfirmation:
      if (key === RESIDENT_CONFIRMATION_KEYS.confirm) return step({ type: 'confirm_by_resident' }, resident, '已确认无误，谢谢');
      if (key === RESIDENT_CONFIRMATION_KEYS.dispute) return step({ type: 'dispute_by_resident' }, resident, '已提出异议，我们会联系您');
      return null;
    case CardPurpose.ResidentResolution:
      if (key === RESIDENT_RESOLUTION_KEYS.solved) return step({ type: 'answer_resolution', solved: true }, resident, '感谢确认，问题已解决');
      if (key === RESIDENT_RESOLUTION_KEYS.notSolved) return step({ type: 'answer_resolution', solved: false }, resident, '已收到，经理会再次处理');
      return null;
    case CardPurpose.StaffConfirmation:
      return key === STAFF_RECORD_CONFIRMATION_KEYS.confirm ? step({ type: 'confirm_by_staff' }, staff, '已确认') : null;
    case CardPurpose.SupervisorReview:
      if (key === SUPERVISOR_REVIEW_KEYS.ok) return step({ type: 'review', verdict: 'ok' }, staff, '已审核：通过');
      if (key === SUPERVISOR_REVIEW_KEYS.unqualified) return step({ type: 'review', verdict: 'unqualified' }, staff, '已审核：不合格，已转经理');
      return null;
    case CardPurpose.ManagerEscalation:
      return key === MANAGER_ESCALATION_KEYS.handled ? step({ type: 'handle', opinion: '已按客户投诉建议处理规程处理' }, staff, '已处理') : null;
    default:
      return null;
  }
}

/** The staged resident survey: ratings → shortcomings → 确认 (which records it all). */
function surveyTap(card: OutboundMessage, event: CardAction, resident: ActorRef): ((manager: EntityManager) => Promise<TapStep | null>) | null {
  const level = (key: string): number | null => {
    const value = Number(choice(event, key)[0]);
    return Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
  };
  const key = event.actionKey;
  if (key === SATISFACTION_KEYS.ratingsSubmit) {
    const answers = { quality: level(SATISFACTION_KEYS.quality), effect: level(SATISFACTION_KEYS.effect), satisfaction: level(SATISFACTION_KEYS.satisfaction) };
    if (answers.quality === null || answers.effect === null || answers.satisfaction === null) return null;
    return async () => ({ command: { type: 'save_resident_answers', answers: answers as { quality: number; effect: number; satisfaction: number }, next: 'shortcomings' }, actor: resident, done: '已提交' });
  }
  if (key === SATISFACTION_KEYS.shortcomingsSubmit) {
    const chosen = choice(event, SATISFACTION_KEYS.shortcomings).filter((c) => (SHORTCOMING_CODES as readonly string[]).includes(c));
    // 无 is exclusive: with any other shortcoming ticked it is dropped; nothing ticked is not an answer.
    if (chosen.length === 0) return null;
    const shortcomings = chosen.length > 1 ? chosen.filter((c) => c !== 'none') : chosen;
    return async () => ({ command: { type: 'save_resident_answers', answers: { shortcomings }, next: 'confirm' }, actor: resident, done: '已提交' });
  }
  if (key === SATISFACTION_KEYS.confirm) {
    const solvedChoice = choice(event, SATISFACTION_KEYS.solved)[0];
    return async (manager) => {
      const visit = await manager.findOneByOrFail(Visit, { id: card.visitId! });
      const answers = visitAnswersSchema.safeParse({
        quality: visit.quality,
        effect: visit.effect,
        satisfaction: visit.satisfaction,
        shortcomings: visit.shortcomings ?? [],
        suggestions: visit.suggestions,
        solved: solvedChoice === 'yes' ? true : solvedChoice === 'no' ? false : null,
      });
      if (!answers.success) return null;
      return { command: { type: 'submit_resident_answers', answers: answers.data, method: 'chat' }, actor: resident, done: '已确认，感谢您的评价' };
    };
  }
  const quick = /^sat_([1-5])$/.exec(key);
  if (quick) return async () => ({ command: { type: 'save_resident_answers', answers: { satisfaction: Number(quick[1]) }, next: 'ratings' }, actor: resident, done: '已评价' });
  return null;
}

/** What a refused tap's card says instead of the step it asked for. */
export function refusalText(err: DomainError): string {
  switch (err.code) {
    case 'unqualified_cannot_pass':
      return '不合格回访不能通过，已请您填写意见转经理处理';
    case 'forbidden':
      return '您无权处理此回访';
    case 'visit_cancelled':
      return '此回访已取消';
    case 'quarter_archived':
      return '此回访所在季度已归档';
    default:
      return '已处理';
  }
}

/**
 * The option ids chosen for a question: WeCom sends them as selections; a DingTalk card sends
 * `params.<questionKey>` as one id or a JSON array of ids (cards/README.md).
 */
function choice(event: CardAction, key: string): string[] {
  const selected = event.selections[key];
  if (selected?.length) return selected;
  const raw = event.params?.[key];
  if (raw === undefined || raw === '') return [];
  try {
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed)) return parsed.map(String);
    return [String(parsed)];
  } catch {
    return [raw];
  }
}
