import { messagePayload } from '../outbox/outbox-payload';
import { EntityManager } from 'typeorm';
import { render as renderResidentConfirmation } from '../../cards/resident-confirmation.card';
import { render as renderResidentResolution } from '../../cards/resident-resolution.card';
import { render as renderResidentSatisfaction } from '../../cards/resident-satisfaction.card';
import { VisitMethodCode } from '../../cards/components/labels';
import { RenderedMessage } from '../channels/channel';
import { enqueue } from '../outbox/outbox';
import { WorkOrderKind } from '../rules/kinds';
import { deferPastQuietHours } from '../rules/quiet-hours';
import { CardPurpose, visitCardId } from './visit-card-ids';
import { answersOf, residentAddress, VisitContext } from './visit-context';
import { VisitMessage } from './visit-decision';
import { keyed, QueueOptions, VisitMessageParts } from './visit-message-parts';
import { trackCustomerLink } from '../wechat/customer-link-messages';
import { queueOfficialAccountMessage } from '../wechat/official-account-messages';

/**
 * The messages to a visit's resident (docs/api.md "How a resident is reached"): the survey
 * cards, the staff record to confirm, "is the problem solved now?". A directory member gets
 * cards; a WeChat customer the link in a staff member's customer-contact message; a resident
 * without chat is reached through the staff, who pass on the link. Never in resident quiet hours.
 */
export class ResidentMessages extends VisitMessageParts {
  async survey(manager: EntityManager, ctx: VisitContext, message: Extract<VisitMessage, { kind: 'resident_survey' }>, options: QueueOptions): Promise<string[]> {
    const { now } = options;
    const v = ctx.visit;
    if (v.residentRoute === 'external') return this.customerLink(manager, ctx, message.attempt, message.at, options);
    if (v.residentRoute === 'official_account') {
      return queueOfficialAccountMessage(manager, ctx, { purpose: 'survey', attempt: message.attempt, at: message.at }, { surveyUrl: this.surveyUrl(ctx, now), now, prompt: options.prompt });
    }
    if (!ctx.resident) return [];
    const cardId = visitCardId(v, CardPurpose.ResidentSurvey, `${message.stage}${message.attempt}`, ctx.resident.id);
    return this.tellResident(manager, ctx, {
      key: `survey:${v.id}:${message.stage}:${message.attempt}`,
      purpose: CardPurpose.ResidentSurvey,
      cardId,
      at: message.at,
      options,
      payload: renderResidentSatisfaction({
        cardId,
        stage: message.stage,
        officeName: ctx.office.name,
        kind: v.kind as WorkOrderKind,
        workOrder: { title: ctx.title, completedAt: ctx.order?.completedAt ? { at: ctx.order.completedAt, zone: ctx.zone } : undefined },
        surveyUrl: this.surveyUrl(ctx, now),
        answers: answersOf(v),
      }),
    });
  }

  async confirmation(manager: EntityManager, ctx: VisitContext, revision: number, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    const recorder = v.recordedBy ? await ctx.staffMember(v.recordedBy) : null;
    const step = revision ? `r${revision.toString(36)}` : '1';
    if (residentAddress(ctx, this.deps.notifier) && ctx.resident) {
      const cardId = visitCardId(v, CardPurpose.ResidentConfirmation, step, ctx.resident.id);
      return this.tellResident(manager, ctx, {
        key: revision ? `confirm:${v.id}:${step}` : `confirm:${v.id}`,
        purpose: CardPurpose.ResidentConfirmation,
        cardId,
        at: now,
        options,
        payload: renderResidentConfirmation({
          cardId,
          officeName: ctx.office.name,
          kind: v.kind as WorkOrderKind,
          workOrder: { title: ctx.title },
          method: (v.method ?? 'phone') as VisitMethodCode,
          staffName: recorder?.name ?? '',
          recordedAt: { at: v.recordedAt ?? now, zone: ctx.zone },
          answers: answersOf(v),
        }),
      });
    }
    // No chat for the resident: the staff member passes on the confirmation link (SOP 4.4).
    if (!recorder) return [];
    return keyed(await this.deps.notifier.tellStaff(manager, ctx.office, recorder, {
      key: revision ? `confirm-link:${v.id}:${step}` : `confirm-link:${v.id}`,
      purpose: 'resident_confirmation_link',
      visitId: v.id,
      payload: this.notice(ctx, '请住户确认回访记录', [
        `${ctx.title}（${v.unitId ?? ''}）的回访已记录。`,
        `请把确认链接发给住户，住户点「确认」即完成签字确认：${this.surveyUrl(ctx, now)}`,
      ]),
      now,
      prompt,
    }));
  }

  async resolution(manager: EntityManager, ctx: VisitContext, round: number, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    if (v.residentRoute === 'external') return this.customerLink(manager, ctx, round, now, options, 'resolution');
    if (v.residentRoute === 'official_account') {
      return queueOfficialAccountMessage(manager, ctx, { purpose: 'resolution', attempt: round, at: now }, { surveyUrl: this.surveyUrl(ctx, now), now, prompt });
    }
    if (residentAddress(ctx, this.deps.notifier) && ctx.resident) {
      const cardId = visitCardId(v, CardPurpose.ResidentResolution, String(round), ctx.resident.id);
      return this.tellResident(manager, ctx, {
        key: `resolution:${v.id}:${round}`,
        purpose: CardPurpose.ResidentResolution,
        cardId,
        at: now,
        options,
        payload: renderResidentResolution({
          cardId,
          officeName: ctx.office.name,
          kind: v.kind as WorkOrderKind,
          workOrder: { title: ctx.title },
          handledAt: { at: v.handledAt ?? now, zone: ctx.zone },
          handling: v.handlingOpinion ?? '',
        }),
      });
    }
    // No chat: the visitors ask the resident and pass on the link where the answer is given.
    return this.tellEach(manager, ctx, ctx.assignees, options, (member) => ({
      key: `resolution-link:${v.id}:${round}`,
      purpose: 'resident_resolution_link',
      visitId: v.id,
      payload: this.notice(ctx, '请住户确认问题是否解决', [
        `${ctx.title}（${v.unitId ?? ''}）的不合格回访经理已处理。`,
        `请联系住户，并把链接发给住户确认问题是否已解决：${this.surveyUrl(ctx, now)}`,
      ]),
    }));
  }

  /**
   * A WeChat customer (route `external`) cannot get cards: the survey link goes out as a link
   * attachment of a customer-contact message in the name of the staff member who owns the
   * contact (or the first visitor), who confirms it in WeCom (docs/wecom.md).
   */
  private async customerLink(manager: EntityManager, ctx: VisitContext, attempt: number, at: Date, options: QueueOptions, kind: 'survey' | 'resolution' = 'survey'): Promise<string[]> {
    const { now, prompt } = options;
    const externalUserId = ctx.resident?.wecomExternalUserId;
    const sender = ctx.resident?.wecomContactOwner ?? ctx.assignees.find((s) => s.wecomUserId)?.wecomUserId;
    if (!ctx.resident || !externalUserId || !sender) return [];
    const text =
      kind === 'survey'
        ? `您好，${ctx.office.name}想了解您对「${ctx.title}」的评价，点开链接选一选即可，约 1 分钟。`
        : `您好，${ctx.office.name}已处理您对「${ctx.title}」反映的问题，请点开链接告诉我们问题是否已解决。`;
    const queued = keyed(await enqueue(
      manager,
      {
        officeId: ctx.office.id,
        dedupeKey: `customer-${kind}:${ctx.visit.id}:${attempt}:${ctx.resident.id}`,
        channel: 'wecom',
        purpose: kind === 'survey' ? CardPurpose.ResidentSurvey : CardPurpose.ResidentResolution,
        visitId: ctx.visit.id,
        recipientKind: 'resident',
        recipientId: ctx.resident.id,
        address: externalUserId,
        payload: {
          kind: 'customer_link',
          customerLink: { sender, externalUserId, text, link: { title: '服务回访', desc: `${ctx.title}｜${kind === 'survey' ? '请为本次服务评价' : '问题是否已解决'}`, url: this.surveyUrl(ctx, now) } },
        },
        notBefore: deferPastQuietHours(at, ctx.zone, ctx.policy.residentQuietHours),
        prompt,
      },
      now,
    ));
    // From here the customer-messages job follows the task (src/wechat/customer-link-tracker.ts).
    for (const dedupeKey of queued) await trackCustomerLink(manager, ctx, { dedupeKey, sender, externalUserId, now });
    return queued;
  }

  /** Queues a card to the resident outside resident quiet hours. */
  private async tellResident(
    manager: EntityManager,
    ctx: VisitContext,
    message: { key: string; purpose: CardPurpose; payload: RenderedMessage; cardId: string; at: Date; options: QueueOptions },
  ): Promise<string[]> {
    const address = residentAddress(ctx, this.deps.notifier);
    if (!address || !ctx.resident) return [];
    return keyed(await enqueue(
      manager,
      {
        officeId: ctx.office.id,
        dedupeKey: `${message.key}:${ctx.resident.id}`,
        channel: this.deps.notifier.channelOf(ctx.office),
        purpose: message.purpose,
        visitId: ctx.visit.id,
        recipientKind: 'resident',
        recipientId: ctx.resident.id,
        address,
        cardId: message.cardId,
        payload: messagePayload(message.payload),
        // Why the office zone: 21:00–08:00 is the resident's night where they live.
        notBefore: deferPastQuietHours(message.at, ctx.zone, ctx.policy.residentQuietHours),
        prompt: message.options.prompt,
      },
      message.options.now,
    ));
  }
}
