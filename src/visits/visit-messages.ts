import { messagePayload } from '../outbox/outbox-payload';
import { EntityManager } from 'typeorm';
import { StaffMember } from '../../entities';
import { render as renderManagerEscalation } from '../../cards/manager-escalation.card';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { render as renderResidentConfirmation } from '../../cards/resident-confirmation.card';
import { render as renderResidentResolution } from '../../cards/resident-resolution.card';
import { render as renderResidentSatisfaction } from '../../cards/resident-satisfaction.card';
import { render as renderStaffConfirmation } from '../../cards/staff-record-confirmation.card';
import { render as renderSupervisorReview } from '../../cards/supervisor-review.card';
import { render as renderVisitReminder, ResidentReach } from '../../cards/visit-reminder.card';
import { VisitMethodCode } from '../../cards/components/labels';
import { VisitRecordView } from '../../cards/components/visit-record';
import { RenderedMessage } from '../channels/channel';
import { enqueue } from '../outbox/outbox';
import { VisitPurpose, WorkOrderKind } from '../rules/kinds';
import { deferPastQuietHours } from '../rules/quiet-hours';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from './notifier';
import { CardPurpose, visitCardId } from './visit-card-ids';
import { answersOf, residentAddress, VisitContext } from './visit-context';
import { NoticeTopic, VisitMessage } from './visit-decision';
import { noticeText } from './visit-notices';
import { queueCustomerLinkMessage, trackCustomerLink } from '../wechat/customer-link-messages';
import { queueOfficialAccountMessage } from '../wechat/official-account-messages';

/**
 * Options of one message: `prompt` when a person is waiting for it (their own tap or record):
 * then it is not moved off :00/:30 and goes out right after the commit (see OutboxDraft).
 */
export interface QueueOptions {
  now: Date;
  prompt: boolean;
}

/**
 * Renders what the lifecycle decided to tell someone (a VisitMessage) into cards and queues
 * them in the caller's transaction: to staff through the Notifier (staff quiet hours), to
 * residents directly (resident quiet hours). It decides *how* — which card, channel, link,
 * when — never *whether*. Links in cards are signed and bound to the visit (and, for staff
 * forms, to the staff member). Every message has a dedupe key (visit, what, round, person), so
 * a repeat queues nothing.
 */
export class VisitMessages {
  constructor(private readonly deps: { notifier: Notifier; links: SignedLinks; publicBaseUrl: string }) {}

  surveyUrl(ctx: VisitContext, now: Date): string {
    return this.deps.links.surveyUrl(this.deps.publicBaseUrl, ctx.visit.id, now);
  }

  staffFormUrl(ctx: VisitContext, staffId: string, now: Date): string {
    return `${this.deps.publicBaseUrl}/f/${this.deps.links.issue({ visitId: ctx.visit.id, purpose: 'record', staffId }, now)}`;
  }

  /** Queues one message; the dedupe keys of the outbox rows it wrote (none when each was queued before). */
  async queue(manager: EntityManager, ctx: VisitContext, message: VisitMessage, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    switch (message.kind) {
      case 'resident_survey':
        return this.residentSurvey(manager, ctx, message, options);
      case 'resident_confirmation':
        return this.residentConfirmation(manager, ctx, message.revision, options);
      case 'resident_resolution':
        return this.residentResolution(manager, ctx, message.round, options);
      case 'visitor_reminder': {
        const staff = message.staffIds ? ctx.assignees.filter((s) => message.staffIds!.includes(s.id)) : ctx.assignees;
        const slotKey = message.slot === 'assigned' ? `assigned:${message.at.getTime()}` : message.slot;
        const queued: string[] = [];
        for (const member of staff) {
          const cardId = visitCardId(v, CardPurpose.StaffReminder, slotKey, member.id);
          queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, member, {
            key: `reminder:${v.id}:${slotKey}`,
            purpose: CardPurpose.StaffReminder,
            visitId: v.id,
            payload: renderVisitReminder({
              cardId,
              ...subject(ctx),
              due: { from: v.opensAt, by: v.closesAt, zone: ctx.zone },
              slot: message.slot === 'no_answer' ? 'last_day' : message.slot,
              resident: this.reach(ctx, message.slot === 'no_answer', now),
              recordFormUrl: this.staffFormUrl(ctx, member.id, now),
            }),
            cardId,
            now,
            at: message.at,
            prompt,
          })));
        }
        return queued;
      }
      case 'staff_confirmation': {
        const member = await ctx.staffMember(message.staffId);
        if (!member) return [];
        const cardId = visitCardId(v, CardPurpose.StaffConfirmation, '1', member.id);
        return keyed(await this.deps.notifier.tellStaff(manager, ctx.office, member, {
          key: `staff-confirm:${v.id}`,
          purpose: CardPurpose.StaffConfirmation,
          visitId: v.id,
          payload: renderStaffConfirmation({ cardId, ...subject(ctx), workOrder: { id: ctx.reference, title: ctx.title }, record: this.recordView(ctx, member.name, now) }),
          cardId,
          now,
          prompt,
        }));
      }
      case 'review_request': {
        const recorder = await this.recorderName(ctx);
        const step = message.revision ? `r${message.revision.toString(36)}` : '1';
        const queued: string[] = [];
        for (const supervisor of await ctx.withRole('supervisor')) {
          const cardId = visitCardId(v, CardPurpose.SupervisorReview, step, supervisor.id);
          queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, supervisor, {
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
            now,
            prompt,
          })));
        }
        return queued;
      }
      case 'manager_escalation':
        return this.managerEscalation(manager, ctx, message.round, options);
      case 'handler_reminder': {
        const queued: string[] = [];
        for (const m of await ctx.withRole('manager')) {
          queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, m, {
            key: `handler-reminder:${v.id}:${message.round}`,
            purpose: 'handler_reminder',
            visitId: v.id,
            payload: this.notice(ctx, '不合格回访待处理', [
              `回访 #${v.id}（${ctx.title}，${v.unitId ?? ''}）判为不合格，处理时限过半。`,
              `请于 ${localTime(ctx, v.handleBy ?? now)} 前填写处理意见：${this.staffFormUrl(ctx, m.id, now)}`,
            ]),
            now,
            prompt,
          })));
        }
        return queued;
      }
      case 'supervisor_notice':
        return this.supervisorNotice(manager, ctx, message.topic, message.details ?? {}, options);
      case 'customer_link_reminder':
      case 'customer_route_failed':
        return queueCustomerLinkMessage(manager, ctx, message, { notifier: this.deps.notifier, surveyUrl: this.surveyUrl(ctx, now), now, prompt });
    }
  }

  private async residentSurvey(manager: EntityManager, ctx: VisitContext, message: Extract<VisitMessage, { kind: 'resident_survey' }>, options: QueueOptions): Promise<string[]> {
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
    for (const dedupeKey of queued) await trackCustomerLink(manager, ctx, { dedupeKey, sender, externalUserId, now });
    return queued;
  }

  private async residentConfirmation(manager: EntityManager, ctx: VisitContext, revision: number, options: QueueOptions): Promise<string[]> {
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

  private async residentResolution(manager: EntityManager, ctx: VisitContext, round: number, options: QueueOptions): Promise<string[]> {
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
    const queued: string[] = [];
    for (const member of ctx.assignees) {
      queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, member, {
        key: `resolution-link:${v.id}:${round}`,
        purpose: 'resident_resolution_link',
        visitId: v.id,
        payload: this.notice(ctx, '请住户确认问题是否解决', [
          `${ctx.title}（${v.unitId ?? ''}）的不合格回访经理已处理。`,
          `请联系住户，并把链接发给住户确认问题是否已解决：${this.surveyUrl(ctx, now)}`,
        ]),
        now,
        prompt,
      })));
    }
    return queued;
  }

  private async managerEscalation(manager: EntityManager, ctx: VisitContext, round: number, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    const managers = await ctx.withRole('manager');
    if (managers.length === 0) return this.supervisorNotice(manager, ctx, 'no_manager', {}, options);
    const recorder = await this.recorderName(ctx);
    const reviewer = v.reviewerId ? await ctx.staffMember(v.reviewerId) : null;
    const queued: string[] = [];
    for (const m of managers) {
      const cardId = visitCardId(v, CardPurpose.ManagerEscalation, String(round), m.id);
      queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, m, {
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
        now,
        prompt,
      })));
    }
    return queued;
  }

  private async supervisorNotice(manager: EntityManager, ctx: VisitContext, topic: NoticeTopic, details: Record<string, unknown>, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    if (topic === 'overdue') {
      const queued: string[] = [];
      for (const supervisor of await ctx.withRole('supervisor')) {
        queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, supervisor, {
          key: `overdue:${v.id}`,
          purpose: 'overdue_notice',
          visitId: v.id,
          payload: renderSupervisorReview({
            variant: 'overdue',
            ...this.supervisorBase(ctx, supervisor, now),
            due: { from: v.opensAt, by: v.closesAt, zone: ctx.zone },
            assignees: ctx.assignees.map((s) => s.name),
          }),
          now,
          prompt,
        })));
      }
      return queued;
    }
    const { title, lines, key } = noticeText(topic, ctx, details);
    return this.deps.notifier.tellSupervisors(manager, ctx.office, { key, visitId: v.id, title, lines, now, prompt });
  }

  private reach(ctx: VisitContext, silent: boolean, now: Date): ResidentReach {
    const name = ctx.resident?.name ?? undefined;
    const phone = ctx.resident?.phone ?? undefined;
    if (!ctx.visit.residentCompletes) return { status: 'staff_visit', name, phone };
    if (ctx.visit.residentRoute === 'card' || ctx.visit.residentRoute === 'official_account') return silent ? { status: 'no_answer', name, phone } : { status: 'card_sent', name };
    if (ctx.visit.residentRoute === 'external') return silent ? { status: 'no_answer', name, phone } : { status: 'link_sent', name };
    return { status: 'no_chat', name, phone: phone ?? '未登记', surveyUrl: this.surveyUrl(ctx, now) };
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

  private supervisorBase(ctx: VisitContext, supervisor: StaffMember, now: Date) {
    return { ...subject(ctx), visitUrl: this.staffFormUrl(ctx, supervisor.id, now), uniqueTag: `#${ctx.visit.id} ${now.toISOString().slice(0, 10)}` };
  }

  private recordView(ctx: VisitContext, staffName: string, now: Date): VisitRecordView {
    const v = ctx.visit;
    return {
      method: (v.method ?? 'survey') as VisitMethodCode,
      staffName,
      byResident: v.recordedBy?.startsWith('resident:') ?? false,
      recordedAt: { at: v.recordedAt ?? now, zone: ctx.zone },
      answers: answersOf(v),
      late: v.late,
      residentConfirmed: v.residentConfirmedAt !== null,
      notes: v.notes ?? undefined,
    };
  }

  private async recorderName(ctx: VisitContext): Promise<string> {
    const by = ctx.visit.recordedBy;
    if (!by || by.startsWith('resident:')) return ctx.resident?.name ?? '住户本人';
    return (await ctx.staffMember(by))?.name ?? by;
  }

  private notice(ctx: VisitContext, title: string, lines: string[]): RenderedMessage {
    return renderPlainNotice({ title, lines, uniqueTag: `#${ctx.visit.id} ${title}`, officeName: ctx.office.name });
  }
}

/** What every staff card says the visit is about. */
function subject(ctx: VisitContext) {
  return {
    officeName: ctx.office.name,
    kind: ctx.visit.kind as WorkOrderKind,
    purpose: ctx.visit.purpose as VisitPurpose,
    workOrder: { id: ctx.reference, title: ctx.title },
    unit: ctx.visit.unitId ?? '',
  };
}

/** A dedupe key as a list: none when the message was queued before. */
const keyed = (key: string | null): string[] => (key ? [key] : []);

function localTime(ctx: VisitContext, at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: ctx.zone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}
