import { describe, expect, it } from 'vitest';
import { Visit, VisitStatus } from '../../entities';
import { resolvePolicy } from '../../src/rules/office-policy';
import { Actor, Decision, isRefusal, LifecycleContext, Refusal, VisitCommand, VisitSnapshot } from '../../src/visits/visit-decision';
import { allowedStaffActions, decide } from '../../src/visits/visit-lifecycle';

/*
 * The visit lifecycle of the rules (§3–§4) as a table: every arrow of the diagram, every
 * refusal, and the deadlines, decided without a database. Times are Shanghai.
 */

const S = VisitStatus;
const NOW = new Date('2026-11-27T02:00:00Z'); // 10:00 in Shanghai
const HOUR = 3_600_000;
const at = (offsetHours: number) => new Date(NOW.getTime() + offsetHours * HOUR);

const ctx = (policy: Parameters<typeof resolvePolicy>[0] = null, now = NOW): LifecycleContext => ({ now, zone: 'Asia/Shanghai', policy: resolvePolicy(policy) });

/** A due visit of a household repair, sp1 visiting, the resident reachable by card. */
function visit(patch: Partial<Visit> & { assignees?: VisitSnapshot['assignees'] } = {}): VisitSnapshot {
  const base = {
    id: 7,
    officeId: 'office-1',
    workOrderId: 'WO-1',
    generation: 1,
    kind: 'repair',
    purpose: 'main',
    status: S.Due,
    quarter: '2026-Q4',
    opensAt: at(-24),
    closesAt: at(24 * 6),
    residentId: 'R-88',
    unitId: 'B3-1202',
    residentRoute: 'card',
    residentCompletes: true,
    teamIncomplete: false,
    residentAskedAt: null,
    residentReaskedAt: null,
    handedBackAt: null,
    residentFeedback: null,
    method: null,
    quality: null,
    effect: null,
    satisfaction: null,
    shortcomings: null,
    shortcomingsText: null,
    suggestions: null,
    solved: null,
    notes: null,
    recordedAt: null,
    recordedBy: null,
    late: false,
    residentConfirmedAt: null,
    residentConfirmedBy: null,
    staffConfirmedAt: null,
    staffConfirmedBy: null,
    verdict: null,
    reviewedAt: null,
    reviewerId: null,
    reviewOpinion: null,
    escalatedAt: null,
    handleBy: null,
    escalationRound: 0,
    escalationRemindedAt: null,
    escalationOverdueAt: null,
    handledAt: null,
    handlerId: null,
    handlingOpinion: null,
    resolutionAskedAt: null,
    resolvedAt: null,
    closedAt: null,
    closedAs: null,
    cancelReason: null,
    createdAt: at(-24),
    updatedAt: at(-24),
    assignees: [{ staffId: 'sp1', role: 'specialist' as const }],
  };
  return { ...base, ...patch } as VisitSnapshot;
}

const system: Actor = { kind: 'system' };
const resident: Actor = { kind: 'resident', via: 'wecom:zhangsan' };
const staff = (id: string, ...roles: ('specialist' | 'supervisor' | 'manager' | 'dept_head')[]): Actor => ({ kind: 'staff', id, member: { id, roles } });
const stranger: Actor = { kind: 'staff', id: 'other-office-sup', member: null };
const sp1 = staff('sp1', 'specialist');
const sp2 = staff('sp2', 'specialist');
const sup = staff('sup1', 'supervisor');
const mgr = staff('mgr1', 'manager');

const GOOD = { quality: 5, effect: 4, satisfaction: 5, shortcomings: ['none'] };
const BAD = { quality: 1, effect: 2, satisfaction: 1, shortcomings: ['quality'] };

const recorded = (patch: Partial<Visit> = {}) =>
  visit({ status: S.Recorded, ...GOOD, method: 'phone', recordedAt: at(-1), recordedBy: 'sp1', verdict: null, ...patch });
const unqualified = (patch: Partial<Visit> = {}) => recorded({ status: S.Unqualified, ...BAD, verdict: 'unqualified', ...patch });
const escalated = (patch: Partial<Visit> = {}) =>
  unqualified({ status: S.Escalated, reviewedAt: at(-2), reviewerId: 'sup1', escalatedAt: at(-2), handleBy: at(22), escalationRound: 1, ...patch });
const handled = (patch: Partial<Visit> = {}) => escalated({ status: S.Handled, handledAt: at(-1), handlerId: 'mgr1', handlingOpinion: '已返修', resolutionAskedAt: at(-1), ...patch });

function decided(outcome: Decision | Refusal): Decision {
  if (isRefusal(outcome)) throw new Error(`refused: ${outcome.refused.code}`);
  return outcome;
}

interface Arrow {
  name: string;
  visit: VisitSnapshot;
  command: VisitCommand;
  actor: Actor;
  ctx?: LifecycleContext;
  /** The status after, when it changes. */
  to?: VisitStatus;
  /** History actions written, in order. */
  history: string[];
  /** Message kinds queued, in order. */
  messages?: string[];
  changes?: Partial<Visit>;
}

describe('the visit lifecycle: every arrow of the diagram', () => {
  const arrows: Arrow[] = [
    { name: 'planned → due when the window opens', visit: visit({ status: S.Planned, opensAt: at(-1) }), command: { type: 'open_window' }, actor: system, to: S.Due, history: ['window_opened'] },
    { name: 'planned → cancelled (work order reopened)', visit: visit({ status: S.Planned }), command: { type: 'cancel', reason: 'reopened' }, actor: system, to: S.Cancelled, history: ['cancelled'], changes: { cancelReason: 'reopened' } },
    {
      name: 'due: the resident is asked by card when the window opens (a visit they complete)',
      visit: visit(),
      command: { type: 'ask_resident' },
      actor: system,
      history: ['resident_asked'],
      messages: ['resident_survey'],
    },
    {
      name: 'due → in_progress on the resident’s first answers, with the next card',
      visit: visit(),
      command: { type: 'save_resident_answers', answers: { quality: 5, effect: 5, satisfaction: 5 }, next: 'shortcomings' },
      actor: resident,
      to: S.InProgress,
      history: ['resident_answered'],
      messages: ['resident_survey'],
    },
    {
      name: 'due → in_progress when a visitor starts a phone visit',
      visit: visit(),
      command: { type: 'note_staff_action', action: 'visit_started' },
      actor: sp1,
      to: S.InProgress,
      history: ['visit_started'],
    },
    {
      name: 'in_progress → recorded by the resident’s 确认 (their answers are the visit)',
      visit: visit({ status: S.InProgress }),
      command: { type: 'submit_resident_answers', answers: GOOD, method: 'chat' },
      actor: resident,
      to: S.Recorded,
      history: ['recorded', 'resident_confirmed'],
      messages: ['review_request'],
    },
    {
      name: 'due → recorded by a staff record, then resident and staff confirm, the supervisor reviews',
      visit: visit(),
      command: { type: 'record', method: 'phone', answers: GOOD },
      actor: sp1,
      to: S.Recorded,
      history: ['recorded'],
      messages: ['resident_confirmation', 'staff_confirmation', 'review_request'],
    },
    {
      name: 'due → unqualified: a rating at 2 or below',
      visit: visit(),
      command: { type: 'record', method: 'phone', answers: BAD },
      actor: sp1,
      to: S.Unqualified,
      history: ['recorded'],
      messages: ['resident_confirmation', 'staff_confirmation', 'review_request'],
      changes: { verdict: 'unqualified' },
    },
    {
      name: 'due → unqualified: the resident says the problem is not solved',
      visit: visit(),
      command: { type: 'submit_resident_answers', answers: { ...GOOD, solved: false }, method: 'survey' },
      actor: resident,
      to: S.Unqualified,
      history: ['recorded', 'resident_confirmed'],
      messages: ['review_request'],
    },
    { name: 'due → overdue when the window closed unrecorded', visit: visit({ closesAt: at(-1) }), command: { type: 'mark_overdue' }, actor: system, to: S.Overdue, history: ['overdue'], messages: ['supervisor_notice'] },
    { name: 'in_progress → overdue', visit: visit({ status: S.InProgress, closesAt: at(-1) }), command: { type: 'mark_overdue' }, actor: system, to: S.Overdue, history: ['overdue'], messages: ['supervisor_notice'] },
    {
      name: 'overdue → recorded late (still doable, flagged late)',
      visit: visit({ status: S.Overdue, closesAt: at(-1) }),
      command: { type: 'record', method: 'phone', answers: GOOD },
      actor: sp1,
      to: S.Recorded,
      history: ['recorded'],
      messages: ['resident_confirmation', 'staff_confirmation', 'review_request'],
      changes: { late: true },
    },
    {
      name: 'recorded → reviewed when the supervisor passes it (confirmations still awaited)',
      visit: recorded(),
      command: { type: 'review', verdict: 'ok', opinion: '同意' },
      actor: sup,
      to: S.Reviewed,
      history: ['reviewed'],
    },
    {
      name: 'recorded → reviewed → closed at once when both confirmations are in',
      visit: recorded({ residentConfirmedAt: at(-1), staffConfirmedAt: at(-1) }),
      command: { type: 'review', verdict: 'ok' },
      actor: sup,
      to: S.Closed,
      history: ['reviewed', 'closed'],
      changes: { closedAs: 'passed' },
    },
    {
      name: 'reviewed → closed when the last confirmation comes',
      visit: recorded({ status: S.Reviewed, reviewedAt: at(-1), verdict: 'ok', residentConfirmedAt: at(-1) }),
      command: { type: 'confirm_by_staff' },
      actor: sp1,
      to: S.Closed,
      history: ['staff_confirmed', 'closed'],
    },
    {
      name: 'reviewed → closed 7 days after review without every confirmation',
      visit: recorded({ status: S.Reviewed, reviewedAt: at(-7 * 24), verdict: 'ok' }),
      command: { type: 'close_after_review' },
      actor: system,
      to: S.Closed,
      history: ['closed'],
      changes: { closedAs: 'passed' },
    },
    {
      name: 'recorded → escalated when the supervisor judges it unqualified',
      visit: recorded(),
      command: { type: 'review', verdict: 'unqualified', opinion: '记录不实' },
      actor: sup,
      to: S.Escalated,
      history: ['reviewed', 'escalated'],
      messages: ['manager_escalation'],
      changes: { escalationRound: 1, handleBy: at(24) },
    },
    {
      name: 'unqualified → escalated with the supervisor’s opinion',
      visit: unqualified(),
      command: { type: 'review', verdict: 'unqualified', opinion: '住户不满，转经理' },
      actor: sup,
      to: S.Escalated,
      history: ['reviewed', 'escalated'],
      messages: ['manager_escalation'],
    },
    {
      name: 'escalated → handled, and the resident is asked whether it is solved now',
      visit: escalated(),
      command: { type: 'handle', opinion: '已返修并致歉' },
      actor: mgr,
      to: S.Handled,
      history: ['handled'],
      messages: ['resident_resolution'],
    },
    {
      name: 'handled → resolved → closed when the resident says it is solved',
      visit: handled(),
      command: { type: 'answer_resolution', solved: true },
      actor: resident,
      to: S.Closed,
      history: ['resolved', 'closed'],
      changes: { closedAs: 'resolved' },
    },
    {
      name: 'handled → escalated once more when the resident says it is not solved (supervisor told)',
      visit: handled(),
      command: { type: 'answer_resolution', solved: false },
      actor: resident,
      to: S.Escalated,
      history: ['not_resolved', 'escalated'],
      messages: ['manager_escalation', 'supervisor_notice'],
      changes: { escalationRound: 2 },
    },
    {
      name: 'handled → closed as handled after a second "not solved" (supervisor told)',
      visit: handled({ escalationRound: 2 }),
      command: { type: 'answer_resolution', solved: false },
      actor: resident,
      to: S.Closed,
      history: ['not_resolved', 'closed'],
      messages: ['supervisor_notice'],
      changes: { closedAs: 'handled' },
    },
    {
      name: 'handled → closed as handled after 72 h of the resident’s silence',
      visit: handled({ resolutionAskedAt: at(-72) }),
      command: { type: 'close_without_resolution' },
      actor: system,
      to: S.Closed,
      history: ['closed'],
      changes: { closedAs: 'handled' },
    },
    {
      name: 'unassigned → due when the supervisor assigns a visitor',
      visit: visit({ status: S.Unassigned, assignees: [] }),
      command: { type: 'assign', assignees: [{ staffId: 'sp2', role: 'specialist' }], staff: [{ id: 'sp2', roles: ['specialist'] }], requiredRoles: ['specialist'] },
      actor: sup,
      to: S.Due,
      history: ['assigned'],
      messages: ['visitor_reminder'],
      changes: { teamIncomplete: false },
    },
    {
      name: 'unassigned → overdue when assigned after the window closed',
      visit: visit({ status: S.Unassigned, assignees: [], closesAt: at(-1) }),
      command: { type: 'assign', assignees: [{ staffId: 'sp2', role: 'specialist' }], staff: [{ id: 'sp2', roles: ['specialist'] }], requiredRoles: ['specialist'] },
      actor: sup,
      to: S.Overdue,
      history: ['assigned'],
      messages: ['visitor_reminder'],
    },
    {
      name: 'a team-incomplete joint visit becomes complete when the department head is assigned',
      visit: visit({ kind: 'complaint', residentCompletes: false, teamIncomplete: true }),
      command: {
        type: 'assign',
        assignees: [
          { staffId: 'eng1', role: 'dept_head' },
          { staffId: 'sp1', role: 'specialist' },
        ],
        staff: [
          { id: 'eng1', roles: ['dept_head'] },
          { id: 'sp1', roles: ['specialist'] },
        ],
        requiredRoles: ['dept_head', 'specialist'],
      },
      actor: sup,
      history: ['assigned'],
      messages: ['visitor_reminder'],
      changes: { teamIncomplete: false },
    },
    {
      name: 'a record is corrected by its author before review: the figures use the latest',
      visit: recorded({ residentConfirmedAt: at(-1) }),
      command: { type: 'correct', answers: BAD },
      actor: sp1,
      to: S.Unqualified,
      history: ['corrected'],
      messages: ['resident_confirmation', 'review_request'],
      changes: { quality: 1, verdict: 'unqualified', residentConfirmedAt: null },
    },
    {
      name: 'a staff-made visit (complaint): the resident’s own answers are kept as feedback and do not complete it',
      visit: visit({ kind: 'complaint', residentCompletes: false }),
      command: { type: 'submit_resident_answers', answers: GOOD, method: 'survey' },
      actor: resident,
      history: ['resident_feedback'],
    },
  ];

  it.each(arrows)('$name', (arrow) => {
    const outcome = decided(decide(arrow.visit, arrow.command, arrow.actor, arrow.ctx ?? ctx()));
    if (arrow.to) expect(outcome.changes.status).toBe(arrow.to);
    else expect(outcome.changes.status).toBeUndefined();
    expect(outcome.history.map((h) => h.action)).toEqual(arrow.history);
    expect(outcome.messages.map((m) => m.kind)).toEqual(arrow.messages ?? []);
    if (arrow.changes) expect(outcome.changes).toMatchObject(arrow.changes);
  });
});

describe('the visit lifecycle: every refusal changes nothing', () => {
  const record: VisitCommand = { type: 'record', method: 'phone', answers: GOOD };
  const refusals: [string, VisitSnapshot, VisitCommand, Actor, number, string][] = [
    ['a record by a specialist not assigned', visit(), record, sp2, 403, 'forbidden'],
    ['a record by someone of another office', visit(), record, stranger, 403, 'forbidden'],
    ['a record before the window opens', visit({ status: S.Planned, opensAt: at(24) }), record, sp1, 409, 'window_not_open'],
    ['a second record', recorded(), record, sp1, 409, 'already_recorded'],
    ['a record of a cancelled visit', visit({ status: S.Cancelled }), record, sp1, 409, 'visit_cancelled'],
    ['a resident’s answers after the record', recorded(), { type: 'submit_resident_answers', answers: GOOD, method: 'chat' }, resident, 409, 'already_recorded'],
    ['a resident’s answers before the window opens', visit({ status: S.Planned }), { type: 'submit_resident_answers', answers: GOOD, method: 'survey' }, resident, 409, 'window_not_open'],
    ['a review by a specialist', recorded(), { type: 'review', verdict: 'ok' }, sp1, 403, 'forbidden'],
    ['a review of a visit not recorded', visit(), { type: 'review', verdict: 'ok' }, sup, 409, 'not_reviewable'],
    ['passing an unqualified visit', unqualified(), { type: 'review', verdict: 'ok' }, sup, 409, 'unqualified_cannot_pass'],
    ['a second review', recorded({ status: S.Reviewed, reviewedAt: at(-1) }), { type: 'review', verdict: 'ok' }, sup, 409, 'not_reviewable'],
    ['a handling by the supervisor', escalated(), { type: 'handle', opinion: 'x' }, sup, 403, 'forbidden'],
    ['a handling of a visit not escalated', unqualified(), { type: 'handle', opinion: 'x' }, mgr, 409, 'not_escalated'],
    ['a correction by someone else', recorded(), { type: 'correct', answers: BAD }, sup, 403, 'forbidden'],
    ['a correction after review', recorded({ status: S.Reviewed, reviewedAt: at(-1) }), { type: 'correct', answers: BAD }, sp1, 409, 'already_reviewed'],
    ['a correction of nothing recorded', visit(), { type: 'correct', answers: BAD }, sp1, 409, 'not_recorded'],
    ['a staff confirmation by someone who did not record', recorded(), { type: 'confirm_by_staff' }, sp2, 403, 'forbidden'],
    ['a staff confirmation of nothing recorded', visit(), { type: 'confirm_by_staff' }, sp1, 409, 'not_recorded'],
    ['a resident confirmation of nothing recorded', visit(), { type: 'confirm_by_resident' }, resident, 409, 'not_recorded'],
    ['a dispute of nothing recorded', visit(), { type: 'dispute_by_resident' }, resident, 409, 'not_recorded'],
    ['"solved now?" before any handling', escalated(), { type: 'answer_resolution', solved: true }, resident, 409, 'not_awaiting_resolution'],
    ['an assignment by a specialist', visit(), { type: 'assign', assignees: [], staff: [], requiredRoles: [] }, sp1, 403, 'forbidden'],
    ['an assignment of a closed visit', recorded({ status: S.Closed }), { type: 'assign', assignees: [], staff: [], requiredRoles: [] }, sup, 409, 'not_open'],
    [
      'an assignment of someone who is not staff of the office',
      visit(),
      { type: 'assign', assignees: [{ staffId: 'ghost', role: 'specialist' }], staff: [{ id: 'sp2', roles: ['specialist'] }], requiredRoles: ['specialist'] },
      sup,
      400,
      'invalid_assignee',
    ],
    [
      'an assignment in a role the person does not hold',
      visit(),
      { type: 'assign', assignees: [{ staffId: 'sp2', role: 'dept_head' }], staff: [{ id: 'sp2', roles: ['specialist'] }], requiredRoles: ['specialist'] },
      sup,
      400,
      'invalid_assignee',
    ],
  ];

  it.each(refusals)('refuses %s', (_name, v, command, actor, status, code) => {
    const outcome = decide(v, command, actor, ctx());
    expect(isRefusal(outcome) && outcome.refused).toMatchObject({ status, code });
  });

  it('lets a supervisor or manager record a visit they are not assigned to', () => {
    for (const actor of [sup, mgr]) expect(decided(decide(visit(), { type: 'record', method: 'phone', answers: GOOD }, actor, ctx())).changes.status).toBe(S.Recorded);
  });
});

describe('the visit lifecycle: nothing happens twice', () => {
  it.each<[string, VisitSnapshot, VisitCommand, Actor]>([
    ['a second resident confirmation', recorded({ residentConfirmedAt: at(-1) }), { type: 'confirm_by_resident' }, resident],
    ['a second staff confirmation', recorded({ staffConfirmedAt: at(-1) }), { type: 'confirm_by_staff' }, sp1],
    ['a window opening again', visit(), { type: 'open_window' }, system],
    ['a second first ask', visit({ residentAskedAt: at(-1) }), { type: 'ask_resident' }, system],
    ['an overdue sweep on an overdue visit', visit({ status: S.Overdue, closesAt: at(-2) }), { type: 'mark_overdue' }, system],
    ['a cancel of a recorded visit', recorded(), { type: 'cancel', reason: 'work_order_cancelled' }, system],
    ['a sweep on a cancelled visit', visit({ status: S.Cancelled }), { type: 'remind_visitors' }, system],
    ['a second half-time reminder', escalated({ escalatedAt: at(-20), escalationRemindedAt: at(-8) }), { type: 'remind_handler' }, system],
    ['a second deadline notice', escalated({ handleBy: at(-1), escalationOverdueAt: at(-1) }), { type: 'report_handling_overdue' }, system],
  ])('decides nothing on %s', (_name, v, command, actor) => {
    const outcome = decided(decide(v, command, actor, ctx()));
    expect(outcome).toEqual({ changes: {}, history: [], messages: [] });
  });
});

describe('the visit lifecycle: deadlines under the office’s policy', () => {
  it('does not ask a resident who answers nothing themselves (complaints are visited by staff)', () => {
    expect(decided(decide(visit({ kind: 'complaint', residentCompletes: false }), { type: 'ask_resident' }, system, ctx())).messages).toEqual([]);
  });

  it('asks at 08:00 when the window opens in the resident’s night', () => {
    const night = new Date('2026-11-26T14:30:00Z'); // 22:30
    const outcome = decided(decide(visit({ opensAt: night }), { type: 'ask_resident' }, system, ctx(null, night)));
    expect(outcome.messages).toEqual([{ kind: 'resident_survey', stage: 'ratings', attempt: 1, at: new Date('2026-11-27T00:00:00Z') }]);
  });

  it.each([
    [24, 23, false],
    [24, 24, true],
    [2, 2, true],
    [1, 0.9, false],
  ])('re-asks after the office’s re-ask delay of %i h (%f h of silence: %s)', (hours, silent, expected) => {
    const v = visit({ residentAskedAt: at(-silent) });
    const outcome = decided(decide(v, { type: 'reask_resident' }, system, ctx({ residentReaskAfterHours: hours })));
    expect(outcome.history.map((h) => h.action)).toEqual(expected ? ['resident_reasked'] : []);
  });

  it('hands the visit back to its visitors the same delay after the re-ask, once', () => {
    const v = visit({ residentAskedAt: at(-6), residentReaskedAt: at(-3) });
    const outcome = decided(decide(v, { type: 'hand_back' }, system, ctx({ residentReaskAfterHours: 3 })));
    expect(outcome.messages).toEqual([{ kind: 'visitor_reminder', slot: 'no_answer', at: NOW }]);
    expect(outcome.changes.handedBackAt).toEqual(NOW);
  });

  it('reminds the visitors of the latest slot that has come only', () => {
    // Opened 2 days ago, closes in 1: halfway has passed, the last day has not come.
    const outcome = decided(decide(visit({ opensAt: at(-48), closesAt: at(24) }), { type: 'remind_visitors' }, system, ctx()));
    expect(outcome.messages.map((m) => m.kind === 'visitor_reminder' && m.slot)).toEqual(['halfway']);
  });

  it('reminds the manager at half of the handling time and tells the supervisor when it passes', () => {
    const v = escalated({ escalatedAt: at(-12), handleBy: at(12) });
    expect(decided(decide(v, { type: 'remind_handler' }, system, ctx())).messages).toEqual([{ kind: 'handler_reminder', round: 1 }]);
    expect(decided(decide({ ...v, escalatedAt: at(-11) }, { type: 'remind_handler' }, system, ctx())).messages).toEqual([]);
    const late = escalated({ escalatedAt: at(-25), handleBy: at(-1) });
    expect(decided(decide(late, { type: 'report_handling_overdue' }, system, ctx())).messages).toEqual([
      { kind: 'supervisor_notice', topic: 'handling_overdue', details: { round: 1 } },
    ]);
  });

  it('gives the manager the office’s escalation hours', () => {
    const outcome = decided(decide(recorded(), { type: 'review', verdict: 'unqualified' }, sup, ctx({ escalationHours: 48 })));
    expect(outcome.changes.handleBy).toEqual(at(48));
  });

  it('keeps a reviewed visit open until the office’s review days have passed', () => {
    const v = recorded({ status: S.Reviewed, reviewedAt: at(-3 * 24), verdict: 'ok' });
    expect(decided(decide(v, { type: 'close_after_review' }, system, ctx())).changes).toEqual({});
    expect(decided(decide(v, { type: 'close_after_review' }, system, ctx({ reviewCloseDays: 3 }))).changes).toMatchObject({ status: S.Closed });
  });

  it('judges with the office’s unqualified threshold', () => {
    const answers = { quality: 3, effect: 3, satisfaction: 3, shortcomings: ['none'] };
    expect(decided(decide(visit(), { type: 'record', method: 'phone', answers }, sp1, ctx())).changes.status).toBe(S.Recorded);
    expect(decided(decide(visit(), { type: 'record', method: 'phone', answers }, sp1, ctx({ unqualifiedThreshold: 3 }))).changes.status).toBe(S.Unqualified);
  });
});

describe('what a person may do on a page: the same rules as the commands', () => {
  it.each<[string, VisitSnapshot, Actor, string[]]>([
    ['the visitor of a due visit', visit(), sp1, ['record']],
    ['another specialist', visit(), sp2, []],
    ['the supervisor of a due visit', visit(), sup, ['record', 'assign']],
    ['the author of a fresh record', recorded(), sp1, ['correct', 'confirm']],
    ['the supervisor of an unqualified record', unqualified(), sup, ['review']],
    ['the manager of an escalated visit', escalated(), mgr, ['handle']],
    ['someone of another office', visit(), stranger, []],
  ])('%s', (_name, v, actor, expected) => {
    expect(allowedStaffActions(v, actor as Extract<Actor, { kind: 'staff' }>, ctx())).toEqual(expected);
  });
});
