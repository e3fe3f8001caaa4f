import { EntityManager } from 'typeorm';
import { StaffMember } from '../../entities';
import { render as renderManagerEscalation } from '../../cards/manager-escalation.card';
import { render as renderSupervisorReview } from '../../cards/supervisor-review.card';
import { CardPurpose, visitCardId } from './visit-card-ids';
import { VisitContext } from './visit-context';
import { NoticeTopic, VisitMessage } from './visit-decision';
import { localTime, QueueOptions, subject, VisitMessageParts } from './visit-message-parts';
import { noticeText } from './visit-notices';

/**
 * The messages up the review chain, through the Notifier (staff quiet hours): every record to
 * the supervisors for review, an unqualified visit to the managers with its handling form and
 * the half-time reminder, and what the supervisors are told — the overdue card and plain
 * notices (src/visits/visit-notices.ts).
 */
export class ReviewMessages extends VisitMessageParts {
  async reviewRequest(manager: EntityManager, ctx: VisitContext, message: Extract<VisitMessage, { kind: 'review_request' }>, options: QueueOptions): Promise<string[]> {
    const { now } = options;
    const v = ctx.visit;
    const recorder = await this.recorderName(ctx);
    const step = message.revision ? `r${message.revision.toString(36)}` : '1';
    return this.tellEach(manager, ctx, await ctx.withRole('supervisor'), options, (supervisor) => {
      const cardId = visitCardId(v, CardPurpose.SupervisorReview, step, supervisor.id);
      return {
        key: message.revision ? `review:${v.id}:${step}` : `review:${v.id}`,
        purpose: CardPurpose.SupervisorReview,
        visitId: v.id,
        payload: renderSupervisorReview({
          variant: message.variant === 'unqualified' ? 'unqualified' : 'review',
          cardId,
          ...this.supervisorBase(ctx, supervisor, now),
          record: this.recordView(ctx, recorder, now),
        }),
        cardId,
      };
    });
  }

  async managerEscalation(manager: EntityManager, ctx: VisitContext, round: number, options: QueueOptions): Promise<string[]> {
    const { now } = options;
    const v = ctx.visit;
    const managers = await ctx.withRole('manager');
    if (managers.length === 0) return this.supervisorNotice(manager, ctx, 'no_manager', {}, options);
    const recorder = await this.recorderName(ctx);
    const reviewer = v.reviewerId ? await ctx.staffMember(v.reviewerId) : null;
    return this.tellEach(manager, ctx, managers, options, (m) => {
      const cardId = visitCardId(v, CardPurpose.ManagerEscalation, String(round), m.id);
      return {
        key: round > 1 ? `escalation:${v.id}:${round}` : `escalation:${v.id}`,
        purpose: CardPurpose.ManagerEscalation,
        visitId: v.id,
        payload: renderManagerEscalation({
          cardId,
          ...subject(ctx),
          record: this.recordView(ctx, recorder, now),
          supervisor: { name: reviewer?.name ?? v.reviewerId ?? '', opinion: round > 1 ? `住户反映经处理后问题仍未解决（第 ${round} 次上报）` : v.reviewOpinion ?? '' },
          handlingUrl: this.staffFormUrl(ctx, m.id, now),
        }),
        cardId,
      };
    });
  }

  async handlerReminder(manager: EntityManager, ctx: VisitContext, round: number, options: QueueOptions): Promise<string[]> {
    const { now } = options;
    const v = ctx.visit;
    return this.tellEach(manager, ctx, await ctx.withRole('manager'), options, (m) => ({
      key: `handler-reminder:${v.id}:${round}`,
      purpose: 'handler_reminder',
      visitId: v.id,
      payload: this.notice(ctx, '不合格回访待处理', [
        `回访 #${v.id}（${ctx.title}，${v.unitId ?? ''}）判为不合格，处理时限过半。`,
        `请于 ${localTime(ctx, v.handleBy ?? now)} 前填写处理意见：${this.staffFormUrl(ctx, m.id, now)}`,
      ]),
    }));
  }

  async supervisorNotice(manager: EntityManager, ctx: VisitContext, topic: NoticeTopic, details: Record<string, unknown>, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    if (topic === 'overdue') {
      return this.tellEach(manager, ctx, await ctx.withRole('supervisor'), options, (supervisor) => ({
        key: `overdue:${v.id}`,
        purpose: 'overdue_notice',
        visitId: v.id,
        payload: renderSupervisorReview({
          variant: 'overdue',
          ...this.supervisorBase(ctx, supervisor, now),
          due: { from: v.opensAt, by: v.closesAt, zone: ctx.zone },
          assignees: ctx.assignees.map((s) => s.name),
        }),
      }));
    }
    const { title, lines, key } = noticeText(topic, ctx, details);
    return this.deps.notifier.tellSupervisors(manager, ctx.office, { key, visitId: v.id, title, lines, now, prompt });
  }

  private supervisorBase(ctx: VisitContext, supervisor: StaffMember, now: Date) {
    return { ...subject(ctx), visitUrl: this.staffFormUrl(ctx, supervisor.id, now), uniqueTag: `#${ctx.visit.id} ${now.toISOString().slice(0, 10)}` };
  }
}
