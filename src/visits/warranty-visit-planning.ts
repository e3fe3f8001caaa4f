import { Visit, VisitStatus } from '../../entities';
import { staffVisitDraft } from './staff-visit-draft';
import { WarrantyVisitKind } from '../rules/kinds';
import { WarrantyVisitDue, warrantyVisitWindow } from '../rules/warranty-visits';
import { Assignee, HistoryNote } from './visit-decision';

/** A warranty visit already stored for the project, as re-planning compares it. */
export interface StoredWarrantyVisit {
  id: number;
  kind: string;
  purpose: string;
  status: VisitStatus;
  opensAt: Date;
}

export interface WarrantyPlanInput {
  project: { id: string; officeId: string };
  /** The visits the project's terms make due (src/rules/warranty-visits.ts). */
  due: readonly WarrantyVisitDue[];
  /** Its warranty visits already stored, technical ones included (they are never touched). */
  stored: readonly StoredWarrantyVisit[];
  lead: Assignee;
  /** The project's owner, as the resident who confirms the visit records. */
  owner: { residentId: string; route: Visit['residentRoute'] };
  leadDays: number;
  zone: string;
  now: Date;
}

export interface WarrantyPlan {
  create: { visit: Visit; assignees: Assignee[]; history: HistoryNote }[];
  /** Planned visits the terms no longer make due, to cancel (windows not yet open). */
  cancel: number[];
}

/**
 * Plans a project's warranty visits (docs/rules.md §7) against what is stored, so saving the
 * project again — with the same or changed terms — never duplicates a visit. A visit is the
 * same when its kind, purpose (the category of a pre-expiry visit, else `main`) and opening
 * instant are. Pure.
 *
 * Invariants: a due visit already stored is not planned again; a stored visit whose window has
 * not opened and that the terms no longer make due is cancelled; one whose window opened is
 * left to the lifecycle; a due visit whose window already closed (a project entered late) is
 * not planned; the warranty lead is the visitor; the owner confirms the record (the staff
 * make the visit, `residentCompletes` false).
 */
export function planWarrantyVisits(input: WarrantyPlanInput): WarrantyPlan {
  const keyOf = (kind: string, purpose: string, opensAt: Date) => `${kind}|${purpose}|${opensAt.getTime()}`;
  const live = input.stored.filter((v) => v.status !== VisitStatus.Cancelled && v.kind !== 'warranty_technical');
  const stored = new Set(live.map((v) => keyOf(v.kind, v.purpose, v.opensAt)));
  const wanted = new Set<string>();
  const create: WarrantyPlan['create'] = [];
  for (const due of input.due) {
    const window = warrantyVisitWindow(due, input.zone, input.leadDays);
    const purpose = due.category ?? 'main';
    const key = keyOf(due.kind, purpose, window.opensAt);
    wanted.add(key);
    if (stored.has(key) || window.closesAt <= input.now) continue;
    create.push(warrantyVisitDraft(input, due.kind, purpose, window, { due: due.opensOn, ...(due.category ? { category: due.category } : {}) }));
  }
  const cancel = live.filter((v) => v.status === VisitStatus.Planned && v.opensAt > input.now && !wanted.has(keyOf(v.kind, v.purpose, v.opensAt))).map((v) => v.id);
  return { create, cancel };
}

/** One warranty visit of `kind` in `window`, visited by the lead; technical visits are made this way on demand. */
export function warrantyVisitDraft(
  input: Pick<WarrantyPlanInput, 'project' | 'lead' | 'owner' | 'zone' | 'now'>,
  kind: WarrantyVisitKind,
  purpose: string,
  window: { opensAt: Date; closesAt: Date },
  cause: Record<string, unknown>,
): WarrantyPlan['create'][number] {
  const { visit, history } = staffVisitDraft(
    { officeId: input.project.officeId, kind, purpose, projectId: input.project.id, residentId: input.owner.residentId, residentRoute: input.owner.route },
    window,
    input.lead,
    { projectId: input.project.id, ...cause },
    input,
  );
  return { visit, assignees: [input.lead], history };
}
