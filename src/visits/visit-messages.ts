import { EntityManager, In } from 'typeorm';
import { Office, Resident, StaffMember, Visit, VisitAssignee, WorkOrder } from '../../entities';
import { render as renderManagerEscalation } from '../../cards/manager-escalation.card';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { render as renderResidentConfirmation } from '../../cards/resident-confirmation.card';
import { render as renderResidentSatisfaction, SatisfactionStage } from '../../cards/resident-satisfaction.card';
import { render as renderStaffConfirmation } from '../../cards/staff-record-confirmation.card';
import { render as renderSupervisorReview } from '../../cards/supervisor-review.card';
import { render as renderVisitReminder, ResidentReach } from '../../cards/visit-reminder.card';
import { RecordedAnswers } from '../../cards/components/answer-fields';
import { VisitMethodCode } from '../../cards/components/labels';
import { VisitRecordView } from '../../cards/components/visit-record';
import { RenderedMessage } from '../channels/channel';
import { enqueue } from '../outbox/outbox';
import { officeZone } from '../offices/office-zone';
import { AnswerLevel } from '../rules/answer-levels';
import { VisitPurpose, WorkOrderKind } from '../rules/kinds';
import { deferPastQuietHours, DEFAULT_RESIDENT_QUIET } from '../rules/quiet-hours';
import { ReminderSlot } from '../rules/reminder-instants';
import { ShortcomingCode } from '../rules/shortcomings';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from './notifier';
import { VisitAnnouncer } from './visit-announcer';
import { CardPurpose, visitCardId } from './visit-card-ids';

/** Everything a card about one visit names. */
export interface VisitContext {
  office: Office;
  visit: Visit;
  order: WorkOrder | null;
  resident: Resident | null;
  assignees: StaffMember[];
  zone: string;
}

/**
 * Renders the visit loop's cards and queues them: to staff through the Notifier (staff quiet
 * hours), to residents directly (resident quiet hours). Links in cards are signed and bound to
 * the visit (and, for staff forms, to the staff member).
 */
export class VisitMessages implements VisitAnnouncer {
  constructor(
    private readonly deps: { notifier: Notifier; links: SignedLinks; publicBaseUrl: string; defaultTimeZone: string },
  ) {}

  async context(manager: EntityManager, visit: Visit): Promise<VisitContext> {
    const office = await manager.findOneByOrFail(Office, { id: visit.officeId });
    const order = await manager.findOneBy(WorkOrder, { id: visit.workOrderId });
    const resident = visit.residentId ? await manager.findOneBy(Resident, { officeId: visit.officeId, id: visit.residentId }) : null;
    const assigned = await manager.find(VisitAssignee, { where: { visitId: visit.id }, order: { staffId: 'ASC' } });
    const assignees = assigned.length
      ? await manager.find(StaffMember, { where: { officeId: visit.officeId, id: In(assigned.map((a) => a.staffId)) }, order: { id: 'ASC' } })
      : [];
    return { office, visit, order, resident, assignees, zone: officeZone(office, this.deps.defaultTimeZone) };
  }

  surveyUrl(visit: Visit, now: Date): string {
    return `${this.deps.publicBaseUrl}/s/${this.deps.links.issue({ visitId: visit.id, purpose: 'survey' }, now)}`;
  }

  staffFormUrl(visit: Visit, staffId: string, now: Date): string {
    return `${this.deps.publicBaseUrl}/f/${this.deps.links.issue({ visitId: visit.id, purpose: 'record', staffId }, now)}`;
  }

  /** A reminder to each visitor for one slot (domain.md §4), unique per visit, slot and person. */
  async remindStaff(manager: EntityManager, ctx: VisitContext, slot: ReminderSlot | 'no_answer', at: Date, now: Date): Promise<number> {
    let queued = 0;
    for (const staff of ctx.assignees) {
      const cardId = visitCardId(ctx.visit, CardPurpose.StaffReminder, slot, staff.id);
      const payload = renderVisitReminder({
        cardId,
        ...this.subject(ctx),
        due: { from: ctx.visit.opensAt, by: ctx.visit.closesAt, zone: ctx.zone },
        slot: slot === 'no_answer' ? 'last_day' : slot,
        resident: this.reach(ctx, slot === 'no_answer', now),
        recordFormUrl: this.staffFormUrl(ctx.visit, staff.id, now),
      });
      const sent = await this.deps.notifier.tellStaff(manager, ctx.office, staff, {
        key: `reminder:${ctx.visit.id}:${slot}`,
        purpose: CardPurpose.StaffReminder,
        visitId: ctx.visit.id,
        payload,
        cardId,
        now,
        at,
      });
      if (sent) queued++;
    }
    return queued;
  }

  private reach(ctx: VisitContext, silent: boolean, now: Date): ResidentReach {
    const name = ctx.resident?.name ?? undefined;
    const phone = ctx.resident?.phone ?? undefined;
    if (ctx.visit.residentRoute === 'card') return silent ? { status: 'no_answer', name, phone } : { status: 'card_sent', name };
    if (ctx.visit.residentRoute === 'external') return silent ? { status: 'no_answer', name, phone } : { status: 'link_sent', name };
    return { status: 'no_chat', name, phone: phone ?? '未登记', surveyUrl: this.surveyUrl(ctx.visit, now) };
  }

  /**
   * A card to the resident (route `card`): one stage of the satisfaction questions, not in
   * resident quiet hours. `attempt` distinguishes the first ask from the re-ask.
   */
  async askResident(
    manager: EntityManager,
    ctx: VisitContext,
    stage: SatisfactionStage,
    attempt: number,
    at: Date,
    now: Date,
  ): Promise<Date | null> {
    if (ctx.visit.residentRoute === 'external') return this.askCustomer(manager, ctx, attempt, at, now);
    const address = this.residentAddress(ctx);
    if (!address || !ctx.resident) return null;
    const cardId = visitCardId(ctx.visit, CardPurpose.ResidentSurvey, `${stage}${attempt}`, ctx.resident.id);
    const payload = renderResidentSatisfaction({
      cardId,
      stage,
      officeName: ctx.office.name,
      kind: ctx.visit.kind as WorkOrderKind,
      workOrder: { title: ctx.order?.title ?? ctx.visit.workOrderId, completedAt: ctx.order?.completedAt ? { at: ctx.order.completedAt, zone: ctx.zone } : undefined },
      surveyUrl: this.surveyUrl(ctx.visit, now),
      answers: answersOf(ctx.visit),
    });
    return this.tellResident(manager, ctx, { key: `survey:${ctx.visit.id}:${stage}:${attempt}`, purpose: CardPurpose.ResidentSurvey, payload, cardId, at, now });
  }

  /**
   * A WeChat customer (route `external`) cannot get cards (wecom.md §7): the survey link goes
   * out as a link attachment of a customer-contact message in the name of the staff member
   * who owns the contact (or the first visitor), who confirms it in WeCom.
   */
  private async askCustomer(manager: EntityManager, ctx: VisitContext, attempt: number, at: Date, now: Date): Promise<Date | null> {
    const externalUserId = ctx.resident?.wecomExternalUserId;
    const sender = ctx.resident?.wecomContactOwner ?? ctx.assignees.find((s) => s.wecomUserId)?.wecomUserId;
    if (!ctx.resident || !externalUserId || !sender) return null;
    const notBefore = deferPastQuietHours(at, ctx.zone, ctx.office.policy?.residentQuietHours ?? DEFAULT_RESIDENT_QUIET);
    const title = ctx.order?.title ?? ctx.visit.workOrderId;
    await enqueue(
      manager,
      {
        officeId: ctx.office.id,
        dedupeKey: `customer-survey:${ctx.visit.id}:${attempt}:${ctx.resident.id}`,
        channel: 'wecom',
        purpose: CardPurpose.ResidentSurvey,
        visitId: ctx.visit.id,
        recipientKind: 'resident',
        recipientId: ctx.resident.id,
        address: externalUserId,
        payload: {
          customerLink: {
            sender,
            externalUserId,
            text: `您好，${ctx.office.name}想了解您对「${title}」的评价，点开链接选一选即可，约 1 分钟。`,
            link: { title: '服务回访', desc: `${title}｜请为本次服务评价`, url: this.surveyUrl(ctx.visit, now) },
          },
        },
        notBefore,
      },
      now,
    );
    return notBefore;
  }

  async askResidentToConfirm(manager: EntityManager, office: Office, visit: Visit, now: Date): Promise<void> {
    const ctx = await this.context(manager, visit);
    const staff = ctx.assignees.find((s) => s.id === visit.recordedBy) ?? (await manager.findOneBy(StaffMember, { officeId: office.id, id: visit.recordedBy ?? '' }));
    const address = this.residentAddress(ctx);
    if (address && ctx.resident) {
      const cardId = visitCardId(visit, CardPurpose.ResidentConfirmation, '1', ctx.resident.id);
      const payload = renderResidentConfirmation({
        cardId,
        officeName: office.name,
        kind: visit.kind as WorkOrderKind,
        workOrder: { title: ctx.order?.title ?? visit.workOrderId },
        method: (visit.method ?? 'phone') as VisitMethodCode,
        staffName: staff?.name ?? '',
        recordedAt: { at: visit.recordedAt ?? now, zone: ctx.zone },
        answers: answersOf(visit),
      });
      await this.tellResident(manager, ctx, { key: `confirm:${visit.id}`, purpose: CardPurpose.ResidentConfirmation, payload, cardId, at: now, now });
      return;
    }
    // No chat for the resident: the staff member passes on the confirmation link (SOP 4.4).
    if (staff) {
      await this.deps.notifier.tellStaff(manager, office, staff, {
        key: `confirm-link:${visit.id}`,
        purpose: 'resident_confirmation_link',
        visitId: visit.id,
        payload: plainNotice(office, '请住户确认回访记录', [
          `${ctx.order?.title ?? visit.workOrderId}（${visit.unitId ?? ''}）的回访已记录。`,
          `请把确认链接发给住户，住户点「确认」即完成签字确认：${this.surveyUrl(visit, now)}`,
        ], `confirm-link:${visit.id}`),
        now,
      });
    }
  }

  async askStaffToConfirm(manager: EntityManager, office: Office, visit: Visit, staffId: string, now: Date): Promise<void> {
    const ctx = await this.context(manager, visit);
    const staff = await manager.findOneBy(StaffMember, { officeId: office.id, id: staffId });
    if (!staff) return;
    const cardId = visitCardId(visit, CardPurpose.StaffConfirmation, '1', staff.id);
    const payload = renderStaffConfirmation({
      cardId,
      officeName: office.name,
      kind: visit.kind as WorkOrderKind,
      purpose: visit.purpose as VisitPurpose,
      workOrder: { id: visit.workOrderId, title: ctx.order?.title ?? visit.workOrderId },
      unit: visit.unitId ?? '',
      record: this.recordView(ctx, staff.name, now),
    });
    await this.deps.notifier.tellStaff(manager, office, staff, {
      key: `staff-confirm:${visit.id}`,
      purpose: CardPurpose.StaffConfirmation,
      visitId: visit.id,
      payload,
      cardId,
      now,
    });
  }

  async askSupervisorToReview(manager: EntityManager, office: Office, visit: Visit, variant: 'routine' | 'unqualified', now: Date): Promise<void> {
    const ctx = await this.context(manager, visit);
    const recorder = await this.recorderName(manager, ctx);
    for (const supervisor of await this.withRole(manager, office, 'supervisor')) {
      const cardId = visitCardId(visit, CardPurpose.SupervisorReview, '1', supervisor.id);
      const payload = renderSupervisorReview({
        variant: variant === 'unqualified' ? 'unqualified' : 'review',
        cardId,
        ...this.supervisorBase(ctx, supervisor, now),
        record: this.recordView(ctx, recorder, now),
      });
      await this.deps.notifier.tellStaff(manager, office, supervisor, {
        key: `review:${visit.id}`,
        purpose: CardPurpose.SupervisorReview,
        visitId: visit.id,
        payload,
        cardId,
        now,
      });
    }
  }

  async escalateToManager(manager: EntityManager, office: Office, visit: Visit, now: Date): Promise<void> {
    const ctx = await this.context(manager, visit);
    const recorder = await this.recorderName(manager, ctx);
    const reviewer = await manager.findOneBy(StaffMember, { officeId: office.id, id: visit.reviewerId ?? '' });
    const managers = await this.withRole(manager, office, 'manager');
    if (managers.length === 0) {
      await this.deps.notifier.tellSupervisors(manager, office, {
        key: `no-manager:${visit.id}`,
        visitId: visit.id,
        title: '不合格回访无人处理',
        lines: [`回访 #${visit.id} 判为不合格，但本处没有管理处经理，请指定处理人。`],
        now,
      });
      return;
    }
    for (const m of managers) {
      const cardId = visitCardId(visit, CardPurpose.ManagerEscalation, '1', m.id);
      const payload = renderManagerEscalation({
        cardId,
        ...this.subject(ctx),
        record: this.recordView(ctx, recorder, now),
        supervisor: { name: reviewer?.name ?? visit.reviewerId ?? '', opinion: visit.reviewOpinion ?? '' },
        handlingUrl: this.staffFormUrl(visit, m.id, now),
      });
      await this.deps.notifier.tellStaff(manager, office, m, {
        key: `escalation:${visit.id}`,
        purpose: CardPurpose.ManagerEscalation,
        visitId: visit.id,
        payload,
        cardId,
        now,
      });
    }
  }

  async tellSupervisorOfDispute(manager: EntityManager, office: Office, visit: Visit, now: Date): Promise<void> {
    await this.deps.notifier.tellSupervisors(manager, office, {
      key: `dispute:${visit.id}`,
      visitId: visit.id,
      title: '住户对回访记录有异议',
      lines: [`回访 #${visit.id}（工单 ${visit.workOrderId}，${visit.unitId ?? ''}）的住户对员工记录提出异议，请联系住户核实。`],
      now,
    });
  }

  /** The supervisor hears once that a visit's window closed unrecorded. */
  async tellOverdue(manager: EntityManager, ctx: VisitContext, now: Date): Promise<void> {
    for (const supervisor of await this.withRole(manager, ctx.office, 'supervisor')) {
      const payload = renderSupervisorReview({
        variant: 'overdue',
        ...this.supervisorBase(ctx, supervisor, now),
        due: { from: ctx.visit.opensAt, by: ctx.visit.closesAt, zone: ctx.zone },
        assignees: ctx.assignees.map((s) => s.name),
      });
      await this.deps.notifier.tellStaff(manager, ctx.office, supervisor, {
        key: `overdue:${ctx.visit.id}`,
        purpose: 'overdue_notice',
        visitId: ctx.visit.id,
        payload,
        now,
      });
    }
  }

  /** What every staff card says the visit is about. */
  private subject(ctx: VisitContext) {
    return {
      officeName: ctx.office.name,
      kind: ctx.visit.kind as WorkOrderKind,
      purpose: ctx.visit.purpose as VisitPurpose,
      workOrder: { id: ctx.visit.workOrderId, title: ctx.order?.title ?? ctx.visit.workOrderId },
      unit: ctx.visit.unitId ?? '',
    };
  }

  private supervisorBase(ctx: VisitContext, supervisor: StaffMember, now: Date) {
    return {
      ...this.subject(ctx),
      visitUrl: this.staffFormUrl(ctx.visit, supervisor.id, now),
      uniqueTag: `#${ctx.visit.id} ${now.toISOString().slice(0, 10)}`,
    };
  }

  private recordView(ctx: VisitContext, staffName: string, now: Date): VisitRecordView {
    return {
      method: (ctx.visit.method ?? 'survey') as VisitMethodCode,
      staffName,
      recordedAt: { at: ctx.visit.recordedAt ?? now, zone: ctx.zone },
      answers: answersOf(ctx.visit),
      late: ctx.visit.late,
      residentConfirmed: ctx.visit.residentConfirmedAt !== null,
      notes: ctx.visit.notes ?? undefined,
    };
  }

  private async recorderName(manager: EntityManager, ctx: VisitContext): Promise<string> {
    if (!ctx.visit.recordedBy || ctx.visit.recordedBy.startsWith('resident:')) return ctx.resident?.name ?? '住户本人';
    const staff = await manager.findOneBy(StaffMember, { officeId: ctx.office.id, id: ctx.visit.recordedBy });
    return staff?.name ?? ctx.visit.recordedBy;
  }

  private async withRole(manager: EntityManager, office: Office, role: string): Promise<StaffMember[]> {
    const staff = await manager.find(StaffMember, { where: { officeId: office.id, active: true }, order: { id: 'ASC' } });
    return staff.filter((s) => s.roles.includes(role as never));
  }

  private residentAddress(ctx: VisitContext): string | null {
    if (ctx.visit.residentRoute !== 'card' || !ctx.resident) return null;
    return this.deps.notifier.channelOf(ctx.office) === 'wecom' ? ctx.resident.wecomUserId : ctx.resident.dingtalkUserId;
  }

  /** Queues a card to the resident outside resident quiet hours; returns when it may go. */
  private async tellResident(
    manager: EntityManager,
    ctx: VisitContext,
    message: { key: string; purpose: CardPurpose; payload: RenderedMessage; cardId: string; at: Date; now: Date },
  ): Promise<Date | null> {
    const address = this.residentAddress(ctx);
    if (!address || !ctx.resident) return null;
    // Why the office zone: 21:00–08:00 is the resident's night where they live.
    const notBefore = deferPastQuietHours(message.at, ctx.zone, ctx.office.policy?.residentQuietHours ?? DEFAULT_RESIDENT_QUIET);
    await enqueue(
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
        payload: message.payload,
        notBefore,
      },
      message.now,
    );
    return notBefore;
  }
}

/** The visit's answers as cards show them. */
export function answersOf(visit: Visit): RecordedAnswers {
  return {
    quality: visit.quality as AnswerLevel | null,
    effect: visit.effect as AnswerLevel | null,
    satisfaction: visit.satisfaction as AnswerLevel | null,
    shortcomings: (visit.shortcomings ?? null) as ShortcomingCode[] | null,
    shortcomingsText: visit.shortcomingsText,
    suggestions: visit.suggestions,
    solved: visit.solved,
  };
}

function plainNotice(office: Office, title: string, lines: string[], uniqueTag: string): RenderedMessage {
  return renderPlainNotice({ title, lines, uniqueTag, officeName: office.name });
}
