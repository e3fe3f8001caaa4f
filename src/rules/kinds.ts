/**
 * The vocabulary the rules speak: kinds of work order, complaint severity, staff roles and
 * visit purposes (docs/rules.md §1, §2). String unions rather than enums so that values read
 * the same in the database, in JSON and in code.
 */

/** What a work order is about; decides its visit window, rate target and visitor (§2). */
export type WorkOrderKind =
  | 'complaint'
  | 'repair'
  | 'repair_works'
  | 'special_service'
  | 'help'
  | 'emergency'
  | 'activity'
  | 'other';

/** Every work-order kind, in the order of docs/rules.md §2's table; for validation and reports. */
export const WORK_ORDER_KINDS: readonly WorkOrderKind[] = Object.freeze([
  'complaint',
  'repair',
  'repair_works',
  'special_service',
  'help',
  'emergency',
  'activity',
  'other',
] as const);

/** Severity of a complaint: a major complaint is visited by the manager (SOP 4.1.3a). */
export type Severity = 'major' | 'general';

/** Staff who visit, plan or decide (§1); `resident` is not staff and so not listed. */
export type StaffRole = 'specialist' | 'supervisor' | 'dept_head' | 'manager';

/**
 * Why a visit exists: `main` for every kind but special services, which get a visit in the
 * middle of the contract and one after it ends (§2).
 */
export type VisitPurpose = 'main' | 'mid_contract' | 'after_contract';

/** The visits of a construction project's warranty (docs/rules.md §7). */
export type WarrantyVisitKind = 'warranty_periodic' | 'warranty_seasonal' | 'warranty_pre_expiry' | 'warranty_after_expiry' | 'warranty_technical';

/** What a visit is: the follow-up of a work order, a warranty visit, or a campaign call (§8). */
export type VisitKind = WorkOrderKind | WarrantyVisitKind | 'campaign';

/** Every warranty visit kind, in the order of docs/rules.md §7. */
export const WARRANTY_VISIT_KINDS: readonly WarrantyVisitKind[] = Object.freeze([
  'warranty_periodic',
  'warranty_seasonal',
  'warranty_pre_expiry',
  'warranty_after_expiry',
  'warranty_technical',
] as const);

/** True for the kind of a construction project's warranty visit (which asks its own questions). */
export function isWarrantyVisitKind(kind: string | null | undefined): kind is WarrantyVisitKind {
  return (WARRANTY_VISIT_KINDS as readonly (string | null | undefined)[]).includes(kind);
}
