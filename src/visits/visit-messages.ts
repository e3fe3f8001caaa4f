import { EntityManager } from 'typeorm';
import { ResidentMessages } from './resident-messages';
import { ReviewMessages } from './review-messages';
import { VisitContext } from './visit-context';
import { VisitMessage } from './visit-decision';
import { MessageDeps, QueueOptions, VisitMessageParts } from './visit-message-parts';
import { VisitorMessages } from './visitor-messages';
import { queueCustomerLinkMessage } from '../wechat/customer-link-messages';

export type { QueueOptions } from './visit-message-parts';

/**
 * Renders what the lifecycle decided to tell someone (a VisitMessage) into cards and queues
 * them in the caller's transaction: to staff through the Notifier (staff quiet hours), to
 * residents directly (resident quiet hours). It decides *how* — which card, channel, link,
 * when — never *whether*. Links in cards are signed and bound to the visit (and, for staff
 * forms, to the staff member). Every message has a dedupe key (visit, what, round, person), so
 * a repeat queues nothing. Each audience has its own messages: the resident
 * (resident-messages.ts), the visitors (visitor-messages.ts), supervisors and managers
 * (review-messages.ts).
 */
export class VisitMessages extends VisitMessageParts {
  private readonly residents: ResidentMessages;
  private readonly visitors: VisitorMessages;
  private readonly reviewers: ReviewMessages;

  constructor(deps: MessageDeps) {
    super(deps);
    this.residents = new ResidentMessages(deps);
    this.visitors = new VisitorMessages(deps);
    this.reviewers = new ReviewMessages(deps);
  }

  /** Queues one message; the dedupe keys of the outbox rows it wrote (none when each was queued before). */
  async queue(manager: EntityManager, ctx: VisitContext, message: VisitMessage, options: QueueOptions): Promise<string[]> {
    switch (message.kind) {
      case 'resident_survey':
        return this.residents.survey(manager, ctx, message, options);
      case 'resident_confirmation':
        return this.residents.confirmation(manager, ctx, message.revision, options);
      case 'resident_resolution':
        return this.residents.resolution(manager, ctx, message.round, options);
      case 'visitor_reminder':
        return this.visitors.reminder(manager, ctx, message, options);
      case 'staff_confirmation':
        return this.visitors.staffConfirmation(manager, ctx, message.staffId, options);
      case 'review_request':
        return this.reviewers.reviewRequest(manager, ctx, message, options);
      case 'manager_escalation':
        return this.reviewers.managerEscalation(manager, ctx, message.round, options);
      case 'handler_reminder':
        return this.reviewers.handlerReminder(manager, ctx, message.round, options);
      case 'supervisor_notice':
        return this.reviewers.supervisorNotice(manager, ctx, message.topic, message.details ?? {}, options);
      case 'customer_link_reminder':
      case 'customer_route_failed':
        return queueCustomerLinkMessage(manager, ctx, message, { ...options, notifier: this.deps.notifier, surveyUrl: this.surveyUrl(ctx, options.now) });
    }
  }
}
