import { EntityManager } from 'typeorm';
import { OutboundMessage, Visit } from '../../entities';
import { MANAGER_ESCALATION_KEYS } from '../../cards/manager-escalation.card';
import { RESIDENT_CONFIRMATION_KEYS } from '../../cards/resident-confirmation.card';
import { RESIDENT_RESOLUTION_KEYS } from '../../cards/resident-resolution.card';
import { SATISFACTION_KEYS, SOLVED_OPTION_IDS } from '../../cards/resident-satisfaction.card';
import type { Choices } from '../../cards/components/with-choices';
import { STAFF_RECORD_CONFIRMATION_KEYS } from '../../cards/staff-record-confirmation.card';
import { SUPERVISOR_REVIEW_KEYS } from '../../cards/supervisor-review.card';
import { VISIT_REMINDER_KEYS } from '../../cards/visit-reminder.card';
import { CallbackEvent } from '../channels/channel';
import { DomainError } from '../errors';
import { AnswerLevel, SATISFACTION_LABELS } from '../rules/answer-levels';
import { SHORTCOMING_CODES } from '../rules/shortcomings';
import { visitAnswersSchema } from '../visits/visit-answers';
import { CardPurpose } from '../visits/visit-card-ids';
import { VisitCommand } from '../visits/visit-decision';
import { ActorRef } from '../visits/visit-lifecycle.service';

type CardAction = Extract<CallbackEvent, { type: 'card_action' }>;

/**
 * What a tap means: the lifecycle command, who made it, and the words the tapped card then
 * shows — with `choices`, the answers as recorded, which the card is then locked on.
 */
export interface TapStep {
  command: VisitCommand;
  actor: ActorRef;
  done: string;
  choices?: Choices;
}

/** A survey card submitted with something unanswered: nothing is recorded, the card asks again. */
export interface TapRetry {
  retry: string;
  choices: Choices;
}

/**
 * Reads a tap on one of our cards: which command of the visit lifecycle it is, made by the
 * person the card went to. Null for a tap that means nothing (an unknown button): nothing
 * changes and the card stays as it is. A survey card submitted with a question unanswered is a
 * TapRetry: nothing is recorded that the resident did not choose. Reading the staged survey's
 * 确认 needs the answers already given, hence the transaction's manager.
 */
export function tapOf(card: OutboundMessage, event: CardAction): ((manager: EntityManager) => Promise<TapStep | TapRetry | null>) | null {
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
function surveyTap(card: OutboundMessage, event: CardAction, resident: ActorRef): ((manager: EntityManager) => Promise<TapStep | TapRetry | null>) | null {
  const key = event.actionKey;
  if (key === SATISFACTION_KEYS.ratingsSubmit) {
    const keys = [SATISFACTION_KEYS.quality, SATISFACTION_KEYS.effect, SATISFACTION_KEYS.satisfaction] as const;
    const levels = keys.map((question) => levelOf(choice(event, question)[0]));
    const choices = Object.fromEntries(keys.flatMap((question, i) => (levels[i] === null ? [] : [[question, [String(levels[i])]]])));
    // WeCom leaves an untouched drop-down on 请选择 (not_chosen): an answer nobody gave is not taken.
    if (levels.includes(null)) return async () => ({ retry: '还有未选的项目，请每项都选好再点提交', choices });
    const [quality, effect, satisfaction] = levels as number[];
    return async () => ({
      command: { type: 'save_resident_answers', answers: { quality: quality!, effect: effect!, satisfaction: satisfaction! }, next: 'shortcomings' },
      actor: resident,
      done: '已提交',
      choices,
    });
  }
  if (key === SATISFACTION_KEYS.shortcomingsSubmit) {
    const chosen = choice(event, SATISFACTION_KEYS.shortcomings).filter((c) => (SHORTCOMING_CODES as readonly string[]).includes(c));
    const choices = { [SATISFACTION_KEYS.shortcomings]: chosen };
    // Nothing ticked is no answer, and 无 stands alone: the resident chooses again.
    if (chosen.length === 0) return async () => ({ retry: '请至少选一项，没有不足请选「无」', choices });
    if (chosen.includes('none') && chosen.length > 1) return async () => ({ retry: '「无」不能和其他项同时选，请重新选择', choices });
    return async () => ({ command: { type: 'save_resident_answers', answers: { shortcomings: chosen }, next: 'confirm' }, actor: resident, done: '已提交', choices });
  }
  if (key === SATISFACTION_KEYS.confirm) {
    const solvedChoice = choice(event, SATISFACTION_KEYS.solved)[0];
    // Left on 请选择, "solved?" stays unanswered (null): it is never taken as 已解决.
    const solved = solvedChoice === SOLVED_OPTION_IDS.yes ? true : solvedChoice === SOLVED_OPTION_IDS.no ? false : null;
    const choices: Choices = solved === null ? {} : { [SATISFACTION_KEYS.solved]: [solvedChoice!] };
    return async (manager) => {
      const visit = await manager.findOneByOrFail(Visit, { id: card.visitId! });
      const answers = visitAnswersSchema.safeParse({
        quality: visit.quality,
        effect: visit.effect,
        satisfaction: visit.satisfaction,
        shortcomings: visit.shortcomings ?? [],
        suggestions: visit.suggestions,
        solved,
      });
      if (!answers.success) return null;
      return {
        command: { type: 'submit_resident_answers', answers: answers.data, method: 'chat' },
        actor: resident,
        done: '已确认，感谢您的评价',
        choices,
      };
    };
  }
  const quick = /^sat_([1-5])$/.exec(key);
  if (quick) {
    const level = Number(quick[1]) as AnswerLevel;
    return async () => ({ command: { type: 'save_resident_answers', answers: { satisfaction: level }, next: 'ratings' }, actor: resident, done: `已评价：${SATISFACTION_LABELS[level]}` });
  }
  return null;
}

/** A level 1–5 from an option id; null for anything else (请选择 included). */
function levelOf(id: string | undefined): number | null {
  const value = Number(id);
  return id !== undefined && Number.isInteger(value) && value >= 1 && value <= 5 ? value : null;
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
