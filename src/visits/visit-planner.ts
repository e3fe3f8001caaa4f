import { EntityManager, In } from 'typeorm';
import { Office, OPEN_VISIT_STATUSES, Resident, StaffMember, Visit, VisitStatus, WorkOrder } from '../../entities';
import { ChannelName } from '../channels/channel';
import { chooseSpecialist, SpecialistCandidate } from '../rules/choose-specialist';
import { Severity, StaffRole, WorkOrderKind } from '../rules/kinds';
import { VisitWindow } from '../rules/visit-window';
import { visitorRoles } from '../rules/visitor-roles';
import { Notifier } from './notifier';
import { closeOpenVisits } from './staff-workload';
import { HistoryDraft, recordHistory } from './visit-history';

export interface PlannedVisit {
  visit: Visit;
  assignees: { staffId: string; role: StaffRole }[];
  missingRoles: StaffRole[];
}

/**
 * What planning reads and writes, within one transaction: the ingest's batch
 * (src/workorders/ingest-batch.ts) loads staff and open-visit counts once for many events and
 * writes the visits in bulk.
 */
export interface PlanningContext {
  /** The office's active staff, by id. */
  staffOf(officeId: string): StaffMember[];
  /** Open visits per staff member of the office, visits planned in this context included. */
  openVisitCounts(officeId: string): Promise<ReadonlyMap<string, number>>;
  /** Keeps a new visit with its visitors and first history entry; its id is set on writing. */
  addVisit(visit: Visit, assignees: { staffId: string; role: StaffRole }[], history: Omit<HistoryDraft, 'visitId'>): void;
  /** Runs work on the transaction once everything kept is written (visits have their ids). */
  direct<T>(work: (manager: EntityManager) => Promise<T>): Promise<T>;
}

/**
 * Turns visit windows into visits with their visitors (domain.md §2 "visitor"): the manager
 * for a major complaint; the complained department's head plus a specialist for a general
 * one; otherwise a specialist chosen by fewest open visits. A role nobody fills leaves the
 * visit `unassigned` and tells the supervisor.
 */
export class VisitPlanner {
  constructor(private readonly notifier: Notifier) {}

  async plan(
    context: PlanningContext,
    input: {
      office: Office;
      workOrder: WorkOrder;
      windows: VisitWindow[];
      resident: Resident | null;
      channel: ChannelName;
      quarter: string;
      now: Date;
      cause: Record<string, unknown>;
    },
  ): Promise<PlannedVisit[]> {
    const { office, workOrder, windows, now } = input;
    if (windows.length === 0) return [];
    const { roles } = visitorRoles(workOrder.kind as WorkOrderKind, workOrder.severity as Severity | null);
    const { assignees, missingRoles } = await this.chooseVisitors(context, office.id, roles, workOrder.department);
    const residentRoute = routeOf(input.resident, input.channel);

    const planned: PlannedVisit[] = [];
    for (const window of windows) {
      const status =
        missingRoles.length > 0 ? VisitStatus.Unassigned : now >= window.opensAt ? VisitStatus.Due : VisitStatus.Planned;
      const visit = Object.assign(new Visit(), {
        officeId: office.id,
        workOrderId: workOrder.id,
        generation: Math.max(1, workOrder.completions),
        kind: workOrder.kind,
        purpose: window.purpose,
        status,
        quarter: input.quarter,
        opensAt: window.opensAt,
        closesAt: window.closesAt,
        residentId: workOrder.residentId,
        unitId: workOrder.unitId,
        residentRoute,
        late: false,
        createdAt: now,
        updatedAt: now,
      });
      context.addVisit(visit, assignees, {
        at: now,
        actor: 'system',
        actorKind: 'system',
        action: status === VisitStatus.Unassigned ? 'planned_unassigned' : 'planned',
        details: {
          purpose: window.purpose,
          opensAt: window.opensAt.toISOString(),
          closesAt: window.closesAt.toISOString(),
          assignees,
          missingRoles,
          ...input.cause,
        },
      });
      if (missingRoles.length > 0) {
        await context.direct((manager) =>
          this.notifier.tellSupervisors(manager, office, {
            key: `unassigned:${visit.id}`,
            visitId: visit.id,
            title: '回访无人可派',
            lines: [
              `工单 ${workOrder.id}${workOrder.title ? `（${workOrder.title}）` : ''} 需要回访，但本处没有${missingRoles.map(roleLabel).join('、')}。`,
              '请在人员设置中补充后重新指派。',
            ],
            now,
          }),
        );
      }
      planned.push({ visit, assignees, missingRoles });
    }
    return planned;
  }

  private async chooseVisitors(
    context: PlanningContext,
    officeId: string,
    roles: StaffRole[],
    department: string | null,
  ): Promise<{ assignees: { staffId: string; role: StaffRole }[]; missingRoles: StaffRole[] }> {
    const assignees: { staffId: string; role: StaffRole }[] = [];
    const missingRoles: StaffRole[] = [];
    for (const role of roles) {
      const holders = context
        .staffOf(officeId)
        .filter((s) => s.roles.includes(role) && (role !== 'dept_head' || (department !== null && s.department === department)));
      const pick =
        role === 'specialist'
          ? chooseSpecialist(await candidates(context, officeId, holders))
          : // Managers and department heads are named by the role itself; with several, take
            // the first by id so the choice is stable.
            holders[0]?.id ?? null;
      if (pick === null) missingRoles.push(role);
      else assignees.push({ staffId: pick, role });
    }
    return { assignees, missingRoles };
  }
}

/** Open visits per candidate, for the "fewest open visits, ties by id" rule. */
async function candidates(context: PlanningContext, officeId: string, holders: StaffMember[]): Promise<SpecialistCandidate[]> {
  if (holders.length === 0) return [];
  const counts = await context.openVisitCounts(officeId);
  return holders.map((h) => ({ id: h.id, openVisits: counts.get(h.id) ?? 0 }));
}

/** How the resident will be asked (CONTRACT.md "How a resident is reached"). */
export function routeOf(resident: Resident | null, channel: ChannelName): Visit['residentRoute'] {
  if (!resident) return 'none';
  if (channel === 'wecom') {
    if (resident.wecomUserId) return 'card';
    if (resident.wecomExternalUserId) return 'external';
    return 'none';
  }
  return resident.dingtalkUserId ? 'card' : 'none';
}

const ROLE_LABELS: Record<StaffRole, string> = {
  specialist: '客户专员',
  supervisor: '客户中心主管',
  dept_head: '被投诉部门主管',
  manager: '管理处经理',
};

export const roleLabel = (role: StaffRole): string => ROLE_LABELS[role];

/**
 * Cancels a work order's open visits (and their queued messages), with a history entry each.
 * `assertWritable` sees each open visit first and may refuse (throw) before anything changes.
 */
export async function cancelOpenVisits(
  manager: EntityManager,
  workOrderId: string,
  reason: 'reopened' | 'work_order_cancelled' | 'contract_changed',
  now: Date,
  options: { actor?: string; assertWritable?: (manager: EntityManager, visit: Visit) => Promise<void> } = {},
): Promise<number[]> {
  const actor = options.actor ?? 'system';
  const open = await manager.find(Visit, { where: { workOrderId, status: In([...OPEN_VISIT_STATUSES]) } });
  if (options.assertWritable) for (const visit of open) await options.assertWritable(manager, visit);
  const ids = open.map((v) => v.id);
  if (ids.length === 0) return [];
  await manager.update(Visit, { id: In(ids) }, { status: VisitStatus.Cancelled, cancelReason: reason, updatedAt: now });
  await closeOpenVisits(manager, ids);
  // Why: a reminder queued for a visit that no longer exists must not reach anyone.
  await manager
    .createQueryBuilder()
    .update('outbound_messages')
    .set({ status: 'cancelled', lastError: `visit cancelled: ${reason}` })
    .where('visitId IN (:...ids)', { ids })
    .andWhere('status = :pending', { pending: 'pending' })
    .execute();
  await recordHistory(
    manager,
    ids.map((visitId) => ({ visitId, at: now, actor, actorKind: 'system' as const, action: 'cancelled', details: { reason } })),
  );
  return ids;
}
