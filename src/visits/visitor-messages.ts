import { EntityManager } from 'typeorm';
import { render as renderStaffConfirmation } from '../../cards/staff-record-confirmation.card';
import { render as renderVisitReminder, ResidentReach } from '../../cards/visit-reminder.card';
import { CardPurpose, visitCardId } from './visit-card-ids';
import { VisitContext } from './visit-context';
import { VisitMessage } from './visit-decision';
import { keyed, QueueOptions, subject, VisitMessageParts } from './visit-message-parts';

/**
 * The messages to a visit's visitors, through the Notifier (staff quiet hours): the reminders
 * of the window's slots, of a new assignment and of a resident who did not answer — each with
 * how the resident is reached and the visitor's own record form — and the confirmation of
 * their own record (SOP 4.5).
 */
export class VisitorMessages extends VisitMessageParts {
  async reminder(manager: EntityManager, ctx: VisitContext, message: Extract<VisitMessage, { kind: 'visitor_reminder' }>, options: QueueOptions): Promise<string[]> {
    const { now } = options;
    const v = ctx.visit;
    const staff = message.staffIds ? ctx.assignees.filter((s) => message.staffIds!.includes(s.id)) : ctx.assignees;
    const slotKey = message.slot === 'assigned' ? `assigned:${message.at.getTime()}` : message.slot;
    return this.tellEach(manager, ctx, staff, options, (member) => {
      const cardId = visitCardId(v, CardPurpose.StaffReminder, slotKey, member.id);
      return {
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
        at: message.at,
      };
    });
  }

  async staffConfirmation(manager: EntityManager, ctx: VisitContext, staffId: string, options: QueueOptions): Promise<string[]> {
    const { now, prompt } = options;
    const v = ctx.visit;
    const member = await ctx.staffMember(staffId);
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

  /** How the resident is reached, as the reminder tells the visitor. */
  private reach(ctx: VisitContext, silent: boolean, now: Date): ResidentReach {
    const name = ctx.resident?.name ?? undefined;
    const phone = ctx.resident?.phone ?? undefined;
    if (!ctx.visit.residentCompletes) return { status: 'staff_visit', name, phone };
    if (ctx.visit.residentRoute === 'card' || ctx.visit.residentRoute === 'official_account') return silent ? { status: 'no_answer', name, phone } : { status: 'card_sent', name };
    if (ctx.visit.residentRoute === 'external') return silent ? { status: 'no_answer', name, phone } : { status: 'link_sent', name };
    return { status: 'no_chat', name, phone: phone ?? '未登记', surveyUrl: this.surveyUrl(ctx, now) };
  }
}
