import { DataSource, EntityManager } from 'typeorm';
import { QuarterlyDecision, QuarterlyReviewEntry, StaffMember, StaffRoleCode } from '../../entities';
import { Clock } from '../clock';
import { inTransaction } from '../db/transaction';
import { ConflictError, DomainError } from '../errors';
import { parseQuarter } from '../rules/quarter';
import { findOffice } from './find-office';
import { officeZone } from '../offices/office-zone';

/** The review and decision in force on a quarter's statistics, with every entry made. */
export interface QuarterlyReviewState {
  review: { reviewerId: string; opinion: string; at: string } | null;
  decision: { managerId: string; decision: QuarterlyDecision; note: string | null; at: string } | null;
  history: { step: 'review' | 'decision'; staffId: string; opinion: string | null; decision: QuarterlyDecision | null; note: string | null; at: string }[];
}

/**
 * The written review of a quarter's statistics by a supervisor and the manager's decision
 * on it: no action, nonconformity control (不合格控制程序) or corrective/preventive action
 * (纠正预防控制程序) (docs/rules.md §5, SOP 4.7).
 *
 * - Both wait for the quarter's end: there are no statistics to judge before (409).
 * - The reviewer must be an active supervisor of the office, the decider an active manager
 *   (403 otherwise); a decision needs a review first (409 `review_missing`).
 * - Entries are append-only; a second review or decision supersedes the one before and the
 *   history keeps both.
 * - Allowed on an archived quarter, deliberately: the lock on the 10th freezes the visit
 *   records and the figures; the review and decision are about those frozen figures and
 *   commonly come after them. They add entries and never change an archived record.
 */
export class QuarterlyReviewService {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; defaultTimeZone: string }) {}

  async review(input: { officeId: string; quarter: string; reviewerId: string; opinion: string }): Promise<QuarterlyReviewState> {
    return this.add(input.officeId, input.quarter, async (manager, now) => {
      await requireRole(manager, input.officeId, input.reviewerId, 'supervisor');
      return { step: 'review', staffId: input.reviewerId, opinion: input.opinion, decision: null, note: null, at: now };
    });
  }

  async decide(input: {
    officeId: string;
    quarter: string;
    managerId: string;
    decision: QuarterlyDecision;
    note?: string | null;
  }): Promise<QuarterlyReviewState> {
    return this.add(input.officeId, input.quarter, async (manager, now) => {
      await requireRole(manager, input.officeId, input.managerId, 'manager');
      const reviewed = await manager.countBy(QuarterlyReviewEntry, { officeId: input.officeId, quarter: input.quarter, step: 'review' });
      if (reviewed === 0) {
        throw new ConflictError('review_missing', `the statistics of ${input.quarter} have no supervisor's review yet`);
      }
      return { step: 'decision', staffId: input.managerId, opinion: null, decision: input.decision, note: input.note ?? null, at: now };
    });
  }

  /** The review state of a quarter (nothing yet: nulls and an empty history). */
  async state(officeId: string, quarter: string, manager: EntityManager = this.deps.dataSource.manager): Promise<QuarterlyReviewState> {
    const entries = await manager.find(QuarterlyReviewEntry, { where: { officeId, quarter }, order: { id: 'ASC' } });
    const lastReview = entries.filter((e) => e.step === 'review').pop();
    const lastDecision = entries.filter((e) => e.step === 'decision').pop();
    return {
      review: lastReview ? { reviewerId: lastReview.staffId, opinion: lastReview.opinion ?? '', at: lastReview.at.toISOString() } : null,
      decision: lastDecision
        ? { managerId: lastDecision.staffId, decision: lastDecision.decision!, note: lastDecision.note, at: lastDecision.at.toISOString() }
        : null,
      history: entries.map((e) => ({ step: e.step, staffId: e.staffId, opinion: e.opinion, decision: e.decision, note: e.note, at: e.at.toISOString() })),
    };
  }

  private async add(
    officeId: string,
    quarterLabel: string,
    entry: (manager: EntityManager, now: Date) => Promise<Omit<QuarterlyReviewEntry, 'id' | 'officeId' | 'quarter'>>,
  ): Promise<QuarterlyReviewState> {
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const office = await findOffice(manager, officeId);
      const quarter = parseQuarter(quarterLabel, officeZone(office, this.deps.defaultTimeZone));
      if (now < quarter.to) {
        throw new ConflictError('quarter_not_ended', `${quarter.label} has not ended yet; its statistics are reviewed after its end`);
      }
      const values = await entry(manager, now);
      await manager.createQueryBuilder().insert().into(QuarterlyReviewEntry).values({ ...values, officeId, quarter: quarter.label }).execute();
      return this.state(officeId, quarter.label, manager);
    });
  }
}

async function requireRole(manager: EntityManager, officeId: string, staffId: string, role: StaffRoleCode): Promise<void> {
  const staff = await manager.findOneBy(StaffMember, { officeId, id: staffId, active: true });
  if (!staff || !staff.roles.includes(role)) {
    throw new DomainError('forbidden', `${staffId} is not an active ${role} of office ${officeId}`, 403);
  }
}
