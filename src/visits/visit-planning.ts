import { StaffMember, Visit, VisitStatus, WorkOrder } from '../../entities';
import { chooseSpecialist } from '../rules/choose-specialist';
import { Severity, StaffRole, WorkOrderKind } from '../rules/kinds';
import { OfficePolicy } from '../rules/office-policy';
import { quarterOf } from '../rules/quarter';
import { VisitWindow } from '../rules/visit-window';
import { visitorRoles } from '../rules/visitor-roles';
import { Assignee, HistoryNote, VisitMessage } from './visit-decision';

/** What planning needs: the work order, its windows, the office's staff and their open visits. */
export interface PlanInput {
  order: Pick<WorkOrder, 'id' | 'officeId' | 'kind' | 'severity' | 'department' | 'unitId' | 'residentId' | 'completions'>;
  windows: readonly VisitWindow[];
  /** The office's active staff. */
  staff: readonly StaffMember[];
  /** Open visits per staff member of the office, for the "fewest open visits" rule. */
  openCounts: ReadonlyMap<string, number>;
  residentRoute: Visit['residentRoute'];
  policy: OfficePolicy;
  zone: string;
  now: Date;
  /** Why it was planned (event, sampling…), kept on the first history entry. */
  cause: Record<string, unknown>;
}

/** A visit to create (its id comes on writing), with its visitors, first history entry and notices. */
export interface PlannedVisitDraft {
  visit: Visit;
  assignees: Assignee[];
  missingRoles: StaffRole[];
  history: HistoryNote;
  messages: VisitMessage[];
}

/**
 * Turns a work order's windows into visits (docs/rules.md §2 "visitor", §3 "who completes",
 * §4 "joint visit"): the manager for a major complaint; the complained department's head with
 * a specialist for a general one; otherwise the specialist with the fewest open visits (ties by
 * id). A joint visit missing a role is planned with the visitors there are, marked
 * `teamIncomplete`, and the supervisors are told at once; a visit with nobody at all is
 * `unassigned` until the supervisor assigns someone. Pure.
 *
 * Invariants: one draft per window, in order; every draft's visitors are active staff holding
 * the role they are assigned in; `residentCompletes` follows the office policy for the kind; the
 * visit counts in the quarter its window closes in (local date of `closesAt`), and in the rates
 * unless it is a mid-contract visit (a reopen takes its generation out, see WorkOrderSampler).
 */
export function planVisits(input: PlanInput): PlannedVisitDraft[] {
  const { order, now } = input;
  if (input.windows.length === 0) return [];
  const kind = order.kind as WorkOrderKind;
  const { roles } = visitorRoles(kind, order.severity as Severity | null);
  const { assignees, missingRoles } = chooseVisitors(input, roles);
  return input.windows.map((window) => {
    const status = assignees.length === 0 ? VisitStatus.Unassigned : now >= window.opensAt ? VisitStatus.Due : VisitStatus.Planned;
    const teamIncomplete = assignees.length > 0 && missingRoles.length > 0;
    const visit = Object.assign(new Visit(), {
      officeId: order.officeId,
      workOrderId: order.id,
      generation: Math.max(1, order.completions),
      kind: order.kind,
      purpose: window.purpose,
      // The follow-up counted in the rates: every window but a special service's extra, mid-contract one.
      countsForRate: window.purpose !== 'mid_contract',
      status,
      quarter: quarterOf(window.closesAt, input.zone).label,
      opensAt: window.opensAt,
      closesAt: window.closesAt,
      residentId: order.residentId,
      unitId: order.unitId,
      residentRoute: input.residentRoute,
      residentCompletes: input.policy.selfSurveyCompletes[kind] ?? true,
      teamIncomplete,
      escalationRound: 0,
      late: false,
      createdAt: now,
      updatedAt: now,
    });
    const messages: VisitMessage[] =
      missingRoles.length === 0
        ? []
        : [{ kind: 'supervisor_notice', topic: teamIncomplete ? 'team_incomplete' : 'unassigned', details: { missingRoles, workOrderId: order.id } }];
    const history: HistoryNote = {
      action: status === VisitStatus.Unassigned ? 'planned_unassigned' : 'planned',
      actor: 'system',
      actorKind: 'system',
      details: {
        purpose: window.purpose,
        opensAt: window.opensAt.toISOString(),
        closesAt: window.closesAt.toISOString(),
        assignees,
        missingRoles,
        ...(teamIncomplete ? { teamIncomplete } : {}),
        ...input.cause,
      },
    };
    return { visit, assignees, missingRoles, history, messages };
  });
}

function chooseVisitors(input: PlanInput, roles: StaffRole[]): { assignees: Assignee[]; missingRoles: StaffRole[] } {
  const assignees: Assignee[] = [];
  const missingRoles: StaffRole[] = [];
  for (const role of roles) {
    const holders = input.staff.filter(
      (s) => s.roles.includes(role) && (role !== 'dept_head' || (input.order.department !== null && s.department === input.order.department)),
    );
    const pick =
      role === 'specialist'
        ? chooseSpecialist(holders.map((h) => ({ id: h.id, openVisits: input.openCounts.get(h.id) ?? 0 })))
        : // Managers and department heads are named by the role itself; with several, the
          // first by id, so the choice is stable.
          [...holders].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))[0]?.id ?? null;
    if (pick === null) missingRoles.push(role);
    else assignees.push({ staffId: pick, role });
  }
  return { assignees, missingRoles };
}
