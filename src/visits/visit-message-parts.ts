import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { VisitMethodCode } from '../../cards/components/labels';
import { VisitRecordView } from '../../cards/components/visit-record';
import { EntityManager } from 'typeorm';
import { StaffMember } from '../../entities';
import { RenderedMessage } from '../channels/channel';
import { VisitPurpose, WorkOrderKind } from '../rules/kinds';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from './notifier';
import { answersOf, VisitContext } from './visit-context';

/**
 * Options of one message: `prompt` when a person is waiting for it (their own tap or record):
 * then it is not moved off :00/:30 and goes out right after the commit (see OutboxDraft).
 */
export interface QueueOptions {
  now: Date;
  prompt: boolean;
}

/** What visit messages are queued with: the staff notifier, the link signer and the public address. */
export interface MessageDeps {
  notifier: Notifier;
  links: SignedLinks;
  publicBaseUrl: string;
}

/**
 * What the messages about a visit are made of, whoever they go to: signed links (the survey
 * page; a staff form bound to the visit and the staff member), the record as cards show it,
 * and plain notices.
 */
export abstract class VisitMessageParts {
  constructor(protected readonly deps: MessageDeps) {}

  surveyUrl(ctx: VisitContext, now: Date): string {
    return this.deps.links.surveyUrl(this.deps.publicBaseUrl, ctx.visit.id, now);
  }

  staffFormUrl(ctx: VisitContext, staffId: string, now: Date): string {
    return `${this.deps.publicBaseUrl}/f/${this.deps.links.issue({ visitId: ctx.visit.id, purpose: 'record', staffId }, now)}`;
  }

  protected recordView(ctx: VisitContext, staffName: string, now: Date): VisitRecordView {
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

  protected async recorderName(ctx: VisitContext): Promise<string> {
    const by = ctx.visit.recordedBy;
    if (!by || by.startsWith('resident:')) return ctx.resident?.name ?? '住户本人';
    return (await ctx.staffMember(by))?.name ?? by;
  }

  protected notice(ctx: VisitContext, title: string, lines: string[]): RenderedMessage {
    return renderPlainNotice({ title, lines, uniqueTag: `#${ctx.visit.id} ${title}`, officeName: ctx.office.name });
  }

  /**
   * Queues the message `draft` makes for each of `people` through the notifier (staff quiet
   * hours) and answers the dedupe keys of those queued now (none for one queued before).
   */
  protected async tellEach(manager: EntityManager, ctx: VisitContext, people: readonly StaffMember[], options: QueueOptions, draft: (person: StaffMember) => StaffDraft): Promise<string[]> {
    const queued: string[] = [];
    for (const person of people) {
      queued.push(...keyed(await this.deps.notifier.tellStaff(manager, ctx.office, person, { ...draft(person), now: options.now, prompt: options.prompt })));
    }
    return queued;
  }
}

/** One staff message of a visit, before the queue options. */
export interface StaffDraft {
  key: string;
  purpose: string;
  visitId: number;
  payload: RenderedMessage;
  cardId?: string | null;
  at?: Date;
}

/** What every staff card says the visit is about. */
export function subject(ctx: VisitContext) {
  return {
    officeName: ctx.office.name,
    kind: ctx.visit.kind as WorkOrderKind,
    purpose: ctx.visit.purpose as VisitPurpose,
    workOrder: { id: ctx.reference, title: ctx.title },
    unit: ctx.visit.unitId ?? '',
  };
}

/** A dedupe key as a list: none when the message was queued before. */
export const keyed = (key: string | null): string[] => (key ? [key] : []);

/** An instant as staff read it in the office's zone (month, day, hour:minute). */
export function localTime(ctx: VisitContext, at: Date): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: ctx.zone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(at);
}
