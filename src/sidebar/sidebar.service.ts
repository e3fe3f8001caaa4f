import { DateTime } from 'luxon';
import { DataSource, In } from 'typeorm';
import { Office, OPEN_VISIT_STATUSES, Resident, StaffMember, Visit, VisitMethod, VisitStatus, WorkOrder } from '../../entities';
import { VISIT_KIND_LABELS } from '../../cards/components/labels';
import { Clock } from '../clock';
import { DomainError, NotFoundError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { STATUS_FORM_LABELS } from '../reports/form-labels';
import { WarrantyVisitKind, WorkOrderKind } from '../rules/kinds';
import { SignedLinks } from '../survey/signed-link';
import { RecordAnswers } from '../visits/visit-answers';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { surveyLinkSent, surveyLinksSentAt } from '../visits/survey-link-sent';
import { SURVEY_LINK_PICTURE_PATH } from './survey-link-picture';

/** Statuses in which the resident can answer the survey link now (its window has opened). */
const ANSWERABLE = new Set<VisitStatus>([VisitStatus.Due, VisitStatus.InProgress, VisitStatus.Overdue, VisitStatus.Unassigned]);

/** One open visit of the resident in the chat, as the sidebar lists it. */
export interface SidebarVisit {
  id: number;
  officeName: string;
  kind: string;
  title: string;
  status: string;
  statusLabel: string;
  window: string;
  /** The survey link can go into the chat now. */
  canSend: boolean;
  /** This staff member may record the visit (the lifecycle's own answer). */
  canRecord: boolean;
  /** When a survey link last went into the chat (ISO), if ever; and as the office's clock reads it. */
  linkSentAt: string | null;
  linkSentLabel: string | null;
}

/** The link message the page puts into the chat with `sendChatMessage` (msgtype news). */
export interface SurveyLinkMessage {
  news: { link: string; title: string; desc: string; imgUrl: string };
  /** Names this link in the visit's history once it is sent. */
  sendId: string;
}

/**
 * What the WeCom chat sidebar does (docs/api.md §2): lists the open visits of the resident the
 * staff member is chatting with, hands out the survey link to send into the chat and records it
 * as sent, and records a visit made on the phone — through the visit lifecycle, like every
 * other entry point. The staff member is the sidebar session's WeCom userid, resolved here to
 * their active staff rows on every call: someone removed from an office acts there no more.
 */
export class SidebarService {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      links: SignedLinks;
      lifecycle: VisitLifecycle;
      publicBaseUrl: string;
      defaultTimeZone: string;
    },
  ) {}

  /** The active staff rows behind a WeCom userid, one per office; refused when there are none. */
  async staffOf(userId: string): Promise<StaffMember[]> {
    const rows = await this.deps.dataSource.getRepository(StaffMember).findBy({ wecomUserId: userId, active: true });
    if (rows.length === 0) throw new DomainError('not_staff', 'this WeCom member is not active staff of any office', 403);
    return rows;
  }

  /** The open visits of the customer `externalUserId` in the staff member's offices. */
  async contactVisits(staff: StaffMember[], externalUserId: string): Promise<{ residentName: string | null; visits: SidebarVisit[] }> {
    const db = this.deps.dataSource;
    const offices = staff.map((s) => s.officeId);
    const residents = await db.getRepository(Resident).findBy({ wecomExternalUserId: externalUserId, officeId: In(offices) });
    if (residents.length === 0) throw new DomainError('contact_unknown', 'no resident of your offices has this WeCom customer id', 404);
    const visits = (
      await Promise.all(residents.map((r) => db.getRepository(Visit).findBy({ officeId: r.officeId, residentId: r.id, status: In([...OPEN_VISIT_STATUSES]) })))
    )
      .flat()
      .sort((a, b) => a.closesAt.getTime() - b.closesAt.getTime());
    const officeRows = await db.getRepository(Office).findBy({ id: In(offices) });
    const orderIds = visits.map((v) => v.workOrderId).filter((id): id is string => id !== null);
    const orders = orderIds.length ? await db.getRepository(WorkOrder).findBy({ id: In(orderIds) }) : [];
    const sent = await surveyLinksSentAt(db.manager, visits.map((v) => v.id));
    const listed: SidebarVisit[] = [];
    for (const visit of visits) {
      const office = officeRows.find((o) => o.id === visit.officeId);
      const me = staff.find((s) => s.officeId === visit.officeId)!;
      const zone = office ? officeZone(office, this.deps.defaultTimeZone) : this.deps.defaultTimeZone;
      const day = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('M月d日');
      listed.push({
        id: visit.id,
        officeName: office?.name ?? visit.officeId,
        kind: VISIT_KIND_LABELS[visit.kind as WorkOrderKind | WarrantyVisitKind] ?? visit.kind,
        title: orders.find((o) => o.id === visit.workOrderId)?.title ?? '',
        status: visit.status,
        statusLabel: STATUS_FORM_LABELS[visit.status],
        window: `${day(visit.opensAt)}–${day(visit.closesAt)}`,
        canSend: ANSWERABLE.has(visit.status) && !visit.recordedAt,
        canRecord: (await this.deps.lifecycle.allowedActions(visit.id, me.id)).includes('record'),
        linkSentAt: sent.get(visit.id)?.toISOString() ?? null,
        linkSentLabel: sent.has(visit.id) ? DateTime.fromJSDate(sent.get(visit.id)!, { zone }).toFormat('M月d日 HH:mm') : null,
      });
    }
    return { residentName: residents[0]!.name, visits: listed };
  }

  /** The survey link of `visitId` as a link message for the chat (not yet recorded as sent). */
  async surveyLink(staff: StaffMember[], visitId: number): Promise<SurveyLinkMessage> {
    const { visit } = await this.visitOf(staff, visitId);
    if (!ANSWERABLE.has(visit.status) || visit.recordedAt) {
      throw new DomainError('survey_not_open', `visit ${visitId} is ${visit.status}: its survey cannot be answered now`, 409);
    }
    const office = await this.deps.dataSource.getRepository(Office).findOneBy({ id: visit.officeId });
    const order = visit.workOrderId ? await this.deps.dataSource.getRepository(WorkOrder).findOneBy({ id: visit.workOrderId }) : null;
    const link = this.deps.links.surveyUrl(this.deps.publicBaseUrl, visit.id, this.deps.clock.now());
    const token = link.slice(link.lastIndexOf('/') + 1);
    const check = this.deps.links.check(token, this.deps.clock.now());
    const kind = VISIT_KIND_LABELS[visit.kind as WorkOrderKind | WarrantyVisitKind] ?? '服务回访';
    return {
      news: {
        link,
        title: `${kind}：请您评价本次服务`,
        desc: `${office?.name ?? ''}${order?.title ? ` · ${order.title}` : ''}，一分钟即可完成`.slice(0, 120),
        imgUrl: `${this.deps.publicBaseUrl}${SURVEY_LINK_PICTURE_PATH}`,
      },
      sendId: check.ok ? check.grant.nonce : '',
    };
  }

  /**
   * Records that the survey link `sendId` went into the resident's chat from the sidebar: the
   * visit's history says who sent it, and it counts as the ask (the schedule asks no more).
   * Other routes (the mass-send, the Official Account) read it with `surveyLinksSentAt`.
   */
  async linkSent(staff: StaffMember[], visitId: number, sendId: string): Promise<void> {
    const { me } = await this.visitOf(staff, visitId);
    await this.deps.lifecycle.run(visitId, surveyLinkSent('sidebar', sendId), { kind: 'staff', id: me.id });
  }

  /** A visit made on the phone (or otherwise) while chatting, recorded as `POST /api/visits/:id/record` does. */
  async record(staff: StaffMember[], visitId: number, body: { method: VisitMethod; answers: RecordAnswers; notes?: string | null }): Promise<void> {
    const { me } = await this.visitOf(staff, visitId);
    await this.deps.lifecycle.run(visitId, { type: 'record', method: body.method, answers: body.answers, notes: body.notes }, { kind: 'staff', id: me.id });
  }

  /** The visit's kind, for validating a record against its question set. */
  async kindOf(staff: StaffMember[], visitId: number): Promise<string> {
    return (await this.visitOf(staff, visitId)).visit.kind;
  }

  /** A visit of one of the staff member's offices, and their staff row there; 404 otherwise. */
  private async visitOf(staff: StaffMember[], visitId: number): Promise<{ visit: Visit; me: StaffMember }> {
    const visit = Number.isSafeInteger(visitId) && visitId > 0 ? await this.deps.dataSource.getRepository(Visit).findOneBy({ id: visitId }) : null;
    const me = visit ? staff.find((s) => s.officeId === visit.officeId) : undefined;
    if (!visit || !me) throw new NotFoundError(`visit ${visitId}`);
    return { visit, me };
  }
}
