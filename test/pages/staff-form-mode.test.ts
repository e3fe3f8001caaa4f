import { describe, expect, it } from 'vitest';
import { VisitStatus } from '../../entities';
import { StaffRoleCode } from '../../entities/staff-member.entity';
import { resolvePolicy } from '../../src/rules/office-policy';
import { staffFormMode, StaffFormMode } from '../../src/staff-form/staff-form-mode';
import { VisitSnapshot } from '../../src/visits/visit-decision';
import { allowedStaffActions } from '../../src/visits/visit-lifecycle';

const NOW = new Date('2026-11-27T02:00:00Z');

/** A visit in `status`, recorded (by sp9) or not, with sp1 as its visitor. */
function visit(status: VisitStatus, recorded: boolean): VisitSnapshot {
  return {
    id: 1,
    officeId: 'office-1',
    status,
    opensAt: new Date('2026-11-26T00:00:00Z'),
    closesAt: new Date('2026-11-30T00:00:00Z'),
    recordedAt: recorded ? NOW : null,
    recordedBy: recorded ? 'sp9' : null,
    staffConfirmedAt: null,
    assignees: [{ staffId: 'sp1', role: 'specialist' }],
  } as unknown as VisitSnapshot;
}

/** The form a person sees: the first action the lifecycle allows them. */
function modeFor(status: VisitStatus, recorded: boolean, roles: StaffRoleCode[], assigned: boolean): StaffFormMode {
  const actor = { kind: 'staff' as const, id: assigned ? 'sp1' : 'x1', member: { id: assigned ? 'sp1' : 'x1', roles } };
  return staffFormMode(allowedStaffActions(visit(status, recorded), actor, { now: NOW, zone: 'Asia/Shanghai', policy: resolvePolicy(null) }));
}

const S = VisitStatus;
type Case = [status: VisitStatus, recorded: boolean, roles: StaffRoleCode[], assigned: boolean, expected: StaffFormMode];

describe('which form a staff link shows', () => {
  const cases: Case[] = [
    // The record form: to the visit's visitors, and to supervisors and managers, while it waits.
    [S.Due, false, ['specialist'], true, 'record'],
    [S.InProgress, false, ['dept_head'], true, 'record'],
    [S.Overdue, false, ['specialist'], true, 'record'],
    [S.Unassigned, false, ['supervisor'], false, 'record'],
    [S.Due, false, ['manager'], false, 'record'],
    [S.Due, false, ['specialist'], false, 'view'],
    [S.Planned, false, ['specialist'], true, 'view'],
    [S.Cancelled, false, ['specialist'], true, 'view'],
    // The review form: to supervisors, once recorded (routine or unqualified).
    [S.Recorded, true, ['supervisor'], false, 'review'],
    [S.Unqualified, true, ['supervisor'], false, 'review'],
    [S.Recorded, true, ['specialist'], true, 'view'],
    [S.Recorded, true, ['manager'], false, 'view'],
    // The handling form: to managers, once escalated.
    [S.Escalated, true, ['manager'], false, 'handle'],
    [S.Escalated, true, ['supervisor'], false, 'view'],
    [S.Escalated, true, ['specialist'], true, 'view'],
    // Closed is closed, whoever asks.
    [S.Closed, true, ['supervisor', 'manager'], true, 'view'],
  ];

  it.each(cases)('%s (recorded: %s) to %j (assigned: %s) → %s', (status, recorded, roles, assigned, expected) => {
    expect(modeFor(status, recorded, roles, assigned)).toBe(expected);
  });

  it('offers the record form only once, even to a supervisor of a visit still marked due', () => {
    expect(modeFor(S.Due, true, ['supervisor'], true)).toBe('view');
  });
});
