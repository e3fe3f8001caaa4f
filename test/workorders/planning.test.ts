import { describe, expect, it } from 'vitest';
import { OFFICE_1, TestApp, useAppWithOffice1, workOrderEvent } from '../support/app';

/** 2026-11-26 15:00 in Shanghai. */
const COMPLETED = '2026-11-26T07:00:00Z';
const COMPLETED_ISO = '2026-11-26T07:00:00.000Z';

describe('planning visits from work-order events', () => {
  let app: TestApp;
  useAppWithOffice1({ now: '2026-11-26T07:00:05Z' }, (started) => (app = started));

  const complete = (id: string, patch: Record<string, unknown> = {}) =>
    app.sendEvent(workOrderEvent('completed', { id, completedAt: COMPLETED, ...patch }));

  it.each([
    // kind, patch, [dueFrom, dueBy], visitors
    ['major complaint', { kind: 'complaint', severity: 'major' }, [COMPLETED_ISO, '2026-11-29T15:59:59.999Z'], ['mgr1']],
    ['general complaint', { kind: 'complaint', severity: 'general' }, [COMPLETED_ISO, '2026-11-29T15:59:59.999Z'], ['eng1', 'sp1']],
    ['household repair', { kind: 'repair', severity: null }, [COMPLETED_ISO, '2026-12-03T15:59:59.999Z'], ['sp1']],
    ['repair works', { kind: 'repair_works', severity: null }, ['2026-12-25T16:00:00.000Z', '2027-01-26T15:59:59.999Z'], ['sp1']],
    ['help', { kind: 'help', severity: null, department: null }, [COMPLETED_ISO, '2026-12-03T15:59:59.999Z'], ['sp1']],
    ['emergency', { kind: 'emergency', severity: null, department: null }, [COMPLETED_ISO, '2026-12-03T15:59:59.999Z'], ['sp1']],
    ['activity', { kind: 'activity', severity: null, department: null }, [COMPLETED_ISO, '2026-12-26T15:59:59.999Z'], ['sp1']],
  ])('plans a %s with its window and visitors', async (_name, patch, [dueFrom, dueBy], visitors) => {
    const res = await complete('WO-K', patch);
    expect(res.status).toBe(202);
    expect(res.body.visits).toHaveLength(1);
    expect(res.body.visits[0]).toMatchObject({ dueFrom, dueBy, assignees: visitors });
  });

  it('plans repair works completed on 31 January from 28 February to the end of 31 March', async () => {
    const res = await complete('WO-JAN', { kind: 'repair_works', severity: null, completedAt: '2026-01-31T02:00:00Z' });
    expect(res.body.visits[0]).toMatchObject({ dueFrom: '2026-02-27T16:00:00.000Z', dueBy: '2026-03-31T15:59:59.999Z' });
  });

  it('plans "other" work only once the supervisor sets its rate target (default 0 %)', async () => {
    const before = await complete('WO-O1', { kind: 'other', severity: null, department: null });
    expect(before.body).toMatchObject({ status: 'accepted', visits: [] });
    expect(before.body.reason).toContain('not_sampled');
    await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, rateTargets: { other: 1 } });
    const after = await complete('WO-O2', { kind: 'other', severity: null, department: null });
    expect(after.body.visits[0]).toMatchObject({ dueFrom: COMPLETED_ISO, dueBy: '2026-12-03T15:59:59.999Z', assignees: ['sp1'] });
  });

  it("plans a special service's two visits as soon as its contract arrives", async () => {
    const contract = { startAt: '2026-09-30T16:00:00Z', endAt: '2026-12-30T16:00:00Z' };
    const res = await app.sendEvent(workOrderEvent('created', { id: 'WO-SS', kind: 'special_service', severity: null, department: null, contract }));
    expect(res.status).toBe(202);
    const span = Date.parse(contract.endAt) - Date.parse(contract.startAt);
    const at = (share: number) => new Date(Date.parse(contract.startAt) + span * share).toISOString();
    expect(res.body.visits.map((v: { purpose: string; dueFrom: string; dueBy: string }) => [v.purpose, v.dueFrom, v.dueBy])).toEqual([
      ['mid_contract', at(0.4), at(0.6)],
      ['after_contract', '2026-12-30T16:00:00.000Z', '2027-01-07T15:59:59.999Z'],
    ]);
    // The same contract again changes nothing.
    const again = await app.sendEvent(workOrderEvent('updated', { id: 'WO-SS', kind: 'special_service', severity: null, department: null, contract }, { occurredAt: '2026-11-26T08:00:00Z' }));
    expect(again.body.reason).toBe('visits already planned');
    expect(Number((await app.db.query(`SELECT COUNT(*) AS n FROM visits`))[0].n)).toBe(2);
  });

  it('moves the after-contract visit to the completion when a contract ends early', async () => {
    const contract = { startAt: '2026-09-30T16:00:00Z', endAt: '2026-12-30T16:00:00Z' };
    const base = { id: 'WO-SE', kind: 'special_service', severity: null, department: null, contract };
    await app.sendEvent(workOrderEvent('created', base, { occurredAt: '2026-10-01T00:00:00Z' }));
    const res = await app.sendEvent(workOrderEvent('completed', { ...base, completedAt: COMPLETED }));
    const after = res.body.visits.find((v: { purpose: string }) => v.purpose === 'after_contract');
    expect(after).toMatchObject({ dueFrom: COMPLETED_ISO, dueBy: '2026-12-03T15:59:59.999Z' });
    const rows = await app.db.query(`SELECT purpose, status, cancelReason FROM visits WHERE status = 'cancelled' ORDER BY id`);
    expect(rows.map((r: { cancelReason: string }) => r.cancelReason)).toEqual(['contract_changed', 'contract_changed']);
  });

  it('gives a contract under 30 days only the after-contract visit', async () => {
    const contract = { startAt: '2026-11-01T00:00:00Z', endAt: '2026-11-21T00:00:00Z' };
    const res = await app.sendEvent(workOrderEvent('created', { id: 'WO-SS2', kind: 'special_service', severity: null, department: null, contract }));
    expect(res.body.visits.map((v: { purpose: string }) => v.purpose)).toEqual(['after_contract']);
  });

  it('chooses the specialist with the fewest open visits, ties by id', async () => {
    const first = await complete('WO-1', { kind: 'help', severity: null, department: null });
    const second = await complete('WO-2', { kind: 'help', severity: null, department: null });
    const third = await complete('WO-3', { kind: 'help', severity: null, department: null });
    expect([first, second, third].map((r) => r.body.visits[0].assignees[0])).toEqual(['sp1', 'sp2', 'sp1']);
  });

  it('cancels open visits on reopen and plans anew on the next completion', async () => {
    const first = await complete('WO-R');
    const reopened = await app.sendEvent(workOrderEvent('reopened', { id: 'WO-R' }, { occurredAt: '2026-11-27T01:00:00Z' }));
    expect(reopened.status).toBe(202);
    const old = await app.api('GET', `/api/visits/${first.body.visits[0].id}`);
    expect(old.body).toMatchObject({ status: 'cancelled', cancelReason: 'reopened' });
    expect(old.body.history.map((h: { action: string }) => h.action)).toEqual(['planned', 'cancelled']);
    const again = await complete('WO-R', { completedAt: '2026-11-27T02:00:00Z' });
    expect(again.body.visits).toHaveLength(1);
    expect(again.body.visits[0]).toMatchObject({ dueFrom: '2026-11-27T02:00:00.000Z', dueBy: '2026-11-30T15:59:59.999Z' });
  });

  it('cancels open visits when the work order is cancelled', async () => {
    const first = await complete('WO-C');
    await app.sendEvent(workOrderEvent('cancelled', { id: 'WO-C' }, { occurredAt: '2026-11-27T01:00:00Z' }));
    const visit = await app.api('GET', `/api/visits/${first.body.visits[0].id}`);
    expect(visit.body).toMatchObject({ status: 'cancelled', cancelReason: 'work_order_cancelled' });
  });

  it('plans a joint visit without the department head with the specialist, marked team-incomplete, and tells the supervisor', async () => {
    const res = await complete('WO-U', { kind: 'complaint', severity: 'general', department: 'security' });
    expect(res.body.visits[0]).toMatchObject({ status: 'due', assignees: ['sp1'] });
    expect((await app.api('GET', `/api/visits/${res.body.visits[0].id}`)).body).toMatchObject({ teamIncomplete: true });
    const told = await app.db.query(`SELECT recipientId, purpose, status FROM outbound_messages`);
    expect(told).toEqual([{ recipientId: 'sup1', purpose: 'supervisor_notice', status: 'pending' }]);
  });

  it('plans a visit nobody can make as unassigned, and tells the supervisor', async () => {
    await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, staff: OFFICE_1.staff.filter((s) => !s.roles.includes('manager')) });
    const res = await complete('WO-U2', { kind: 'complaint', severity: 'major' });
    expect(res.body.visits[0]).toMatchObject({ status: 'unassigned', assignees: [] });
    const told = await app.db.query(`SELECT recipientId, purpose FROM outbound_messages`);
    expect(told).toEqual([{ recipientId: 'sup1', purpose: 'supervisor_notice' }]);
  });

  it('samples 100 repair completions in a quarter to exactly 80, and always takes a repeat repair', async () => {
    const outcomes: string[] = [];
    for (let i = 1; i <= 104; i++) {
      const res = await complete(`WO-REP-${i}`, { kind: 'repair', severity: null, unitId: `U-${i}`, matterKey: `leak-${i}` });
      expect(res.status).toBe(202);
      outcomes.push(res.body.visits.length === 1 ? 'selected' : 'not_sampled');
      if (i === 100) {
        expect(outcomes.filter((o) => o === 'selected')).toHaveLength(80);
        expect(outcomes.filter((o) => o === 'not_sampled')).toHaveLength(20);
      }
    }
    // The 105th would fall outside the quota (ceil(0.8 × 105) = 84 = already selected) …
    const unique = await complete('WO-REP-105', { kind: 'repair', severity: null, unitId: 'U-105', matterKey: 'leak-105' });
    expect(unique.body.visits).toEqual([]);
    // … but a second repair of the same matter on the same unit is selected whatever the quota.
    const repeat = await complete('WO-REP-106', { kind: 'repair', severity: null, unitId: 'U-3', matterKey: 'leak-3' });
    expect(repeat.body.visits).toHaveLength(1);
    const [audit] = await app.db.query(`SELECT sampling, samplingReason, samplingEligible, samplingSelected FROM work_orders WHERE id = 'WO-REP-105'`);
    expect(audit).toEqual({ sampling: 'not_sampled', samplingReason: 'quota_met', samplingEligible: 105, samplingSelected: 84 });
    const [repeatAudit] = await app.db.query(`SELECT samplingReason FROM work_orders WHERE id = 'WO-REP-106'`);
    expect(repeatAudit.samplingReason).toBe('repeat_repair');
  });

  it('counts completions made while a kind was at 100 % once its target is lowered', async () => {
    await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, rateTargets: { repair: 1 } });
    for (let i = 1; i <= 3; i++) {
      const res = await complete(`WO-FULL-${i}`, { kind: 'repair', severity: null, unitId: `F-${i}`, matterKey: `m-${i}` });
      expect(res.body.visits).toHaveLength(1);
    }
    await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, rateTargets: { repair: 0.5 } });
    // 4 eligible, 3 already visited: ceil(0.5 × 4) = 2 is met, so the fourth is left out.
    const fourth = await complete('WO-FULL-4', { kind: 'repair', severity: null, unitId: 'F-4', matterKey: 'm-4' });
    expect(fourth.body.visits).toEqual([]);
    const [audit] = await app.db.query(`SELECT samplingEligible, samplingSelected FROM work_orders WHERE id = 'WO-FULL-4'`);
    expect(audit).toEqual({ samplingEligible: 4, samplingSelected: 3 });
  });
});
