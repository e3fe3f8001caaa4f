import { EntityManager } from 'typeorm';
import { Office, Visit } from '../../entities';

/**
 * The messages the visit loop sends, queued in the caller's transaction. The loop decides
 * *that* someone is told; the announcer decides how (card, channel, link, quiet hours).
 */
export interface VisitAnnouncer {
  /** A staff record was made: the resident confirms it with one tap (card or survey page). */
  askResidentToConfirm(manager: EntityManager, office: Office, visit: Visit, now: Date): Promise<void>;
  /** The staff member confirms their own record (SOP 4.5). */
  askStaffToConfirm(manager: EntityManager, office: Office, visit: Visit, staffId: string, now: Date): Promise<void>;
  /** Every recorded visit is reviewed; an unqualified one at once and flagged. */
  askSupervisorToReview(manager: EntityManager, office: Office, visit: Visit, variant: 'routine' | 'unqualified', now: Date): Promise<void>;
  /** The supervisor judged the visit unqualified: the manager handles it. */
  escalateToManager(manager: EntityManager, office: Office, visit: Visit, now: Date): Promise<void>;
  /** The resident says the staff record is wrong. */
  tellSupervisorOfDispute(manager: EntityManager, office: Office, visit: Visit, now: Date): Promise<void>;
}
