import { Visit, VisitStatus } from '../../entities';
import { quarterOf } from '../rules/quarter';
import { Assignee, HistoryNote } from './visit-decision';

/** What a visit without a work order is about: its project (warranty) or its campaign and customer or resident (and unit). */
export interface StaffVisitSubject {
  officeId: string;
  kind: string;
  purpose: string;
  projectId?: string | null;
  campaignId?: string | null;
  customerId?: string | null;
  residentId: string | null;
  unitId?: string | null;
  residentRoute: Visit['residentRoute'];
}

/**
 * A visit planned without a work order (a warranty visit, a campaign call), which the staff
 * make themselves (`residentCompletes` false), in its window, with its first history entry
 * naming its visitor and why (`cause`). Due when its window has opened, planned before. Pure.
 */
export function staffVisitDraft(
  subject: StaffVisitSubject,
  window: { opensAt: Date; closesAt: Date },
  visitor: Assignee,
  cause: Record<string, unknown>,
  context: { zone: string; now: Date },
): { visit: Visit; history: HistoryNote } {
  const { now } = context;
  const visit = Object.assign(new Visit(), {
    workOrderId: null,
    projectId: null,
    campaignId: null,
    customerId: null,
    unitId: null,
    ...subject,
    details: null,
    generation: 1,
    status: now >= window.opensAt ? VisitStatus.Due : VisitStatus.Planned,
    quarter: quarterOf(window.closesAt, context.zone).label,
    opensAt: window.opensAt,
    closesAt: window.closesAt,
    residentCompletes: false,
    teamIncomplete: false,
    escalationRound: 0,
    late: false,
    createdAt: now,
    updatedAt: now,
  });
  const history: HistoryNote = {
    action: 'planned',
    actor: 'system',
    actorKind: 'system',
    details: { purpose: subject.purpose, opensAt: window.opensAt.toISOString(), closesAt: window.closesAt.toISOString(), assignees: [visitor], ...cause },
  };
  return { visit, history };
}
