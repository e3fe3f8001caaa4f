import { describe, expect, it } from 'vitest';
import { VisitStatus } from '../../entities';
import { StaffRoleCode } from '../../entities/staff-member.entity';
import { staffFormMode, StaffFormMode } from '../../src/staff-form/staff-form-mode';

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
    expect(staffFormMode({ status, recorded }, { roles, assigned })).toBe(expected);
  });

  it('offers the record form only once, even to a supervisor of a visit still marked due', () => {
    expect(staffFormMode({ status: S.Due, recorded: true }, { roles: ['supervisor'], assigned: true })).toBe('view');
  });
});
