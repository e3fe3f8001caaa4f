import { RepairStatus, RepairStep, TaskSheet, WarrantyRepair } from '../../entities';

/** Hours a repair has for someone to be on site (policy 5). */
export const ON_SITE_HOURS = 24;
/** Days a repair has to be solved (policy 5). */
export const SOLVE_DAYS = 15;
/** The warranty lead is reminded this long before each deadline. */
export const REMIND_BEFORE_MS = { onsite: 4 * 3_600_000, solve: 3 * 86_400_000 } as const;

const HOUR = 3_600_000;

export type RepairDeadline = 'onsite' | 'solve';

/** What can happen to a repair. */
export type RepairCommand =
  | { type: 'onsite'; by: string }
  | { type: 'assess'; by: string; cause: 'builder' | 'misuse' | 'other'; taskSheet: TaskSheet }
  | { type: 'done'; by: string }
  | { type: 'sign_off'; via: string; accepted: boolean }
  | { type: 'remind' };

/** Who is told what about a repair. */
export type RepairMessage =
  | { kind: 'lead_reminder'; deadline: RepairDeadline }
  | { kind: 'supervisor_escalation'; deadline: RepairDeadline }
  | { kind: 'owner_signoff'; round: number }
  | { kind: 'owner_not_accepted' };

export interface RepairDecision {
  changes: Partial<WarrantyRepair>;
  steps: RepairStep[];
  messages: RepairMessage[];
}

export interface RepairRefusal {
  refused: { status: 409; code: string; message: string };
}

/**
 * Where each step may be taken from: the order report → on site → assessed → done → signed off;
 * a repair the owner did not accept is done again after rework.
 */
const FROM: Record<Exclude<RepairCommand['type'], 'remind'>, readonly RepairStatus[]> = {
  onsite: [RepairStatus.Reported],
  assess: [RepairStatus.OnSite],
  done: [RepairStatus.Assessed, RepairStatus.NotAccepted],
  sign_off: [RepairStatus.Done],
};

/** The owner's answer is given once per round: a second tap, or the page after the card, changes nothing. */
const ANSWERED = new Set([RepairStatus.SignedOff, RepairStatus.NotAccepted]);

/** Which sign-off round a repair is in: one more each time it is done (after rework). */
export function signOffRound(repair: Pick<WarrantyRepair, 'history'>): number {
  return Math.max(1, repair.history.filter((h) => h.action === 'done').length);
}

const OPEN = new Set([RepairStatus.Reported, RepairStatus.OnSite, RepairStatus.Assessed]);

/**
 * The deadlines of a reported repair: on site within 24 h, solved within 15 days, both from
 * the report (policy 5).
 */
export function repairDeadlines(reportedAt: Date): { onSiteBy: Date; solveBy: Date } {
  return { onSiteBy: new Date(reportedAt.getTime() + ON_SITE_HOURS * HOUR), solveBy: new Date(reportedAt.getTime() + SOLVE_DAYS * 24 * HOUR) };
}

/**
 * A warranty repair's lifecycle (docs/rules.md §7), pure: given the repair, a command and the
 * instant, what changes, what goes on its history and who is told — or why the step is refused.
 *
 * Invariants: steps follow report → on site → assessed → done → signed off, a step out of order
 * is refused (409 naming it) and changes nothing; the owner answers once per completion (a
 * second answer changes nothing, whichever way either went), and "not satisfied" waits for the
 * rework's done; a repair outside the warranty (misuse, someone
 * else's work, reported after its category ended) is charged; before each deadline the lead is
 * reminded once, and once it passes the supervisors are told once; a deadline met stops both.
 */
export function decideRepair(repair: Readonly<WarrantyRepair>, command: RepairCommand, now: Date): RepairDecision | RepairRefusal {
  const steps: RepairStep[] = [];
  const messages: RepairMessage[] = [];
  const changes: Partial<WarrantyRepair> = {};
  const step = (action: string, by: string, details: Record<string, unknown> | null = null) => steps.push({ at: now.toISOString(), action, by, details });
  if (command.type === 'remind') {
    for (const deadline of ['onsite', 'solve'] as const) {
      const { due, by, reminded, escalated } = deadlineOf(repair, deadline);
      if (!due) continue;
      if (now >= by) {
        if (escalated) continue;
        changes[deadline === 'onsite' ? 'onSiteEscalatedAt' : 'solveEscalatedAt'] = now;
        step('deadline_missed', 'system', { deadline, by: by.toISOString() });
        messages.push({ kind: 'supervisor_escalation', deadline });
      } else if (!reminded && now.getTime() >= by.getTime() - REMIND_BEFORE_MS[deadline]) {
        changes[deadline === 'onsite' ? 'onSiteRemindedAt' : 'solveRemindedAt'] = now;
        step('deadline_reminded', 'system', { deadline, by: by.toISOString() });
        messages.push({ kind: 'lead_reminder', deadline });
      }
    }
    return { changes, steps, messages };
  }
  if (!FROM[command.type].includes(repair.status)) {
    if (command.type === 'sign_off' && ANSWERED.has(repair.status)) return { changes, steps, messages };
    return {
      refused: {
        status: 409,
        code: 'repair_step_out_of_order',
        message: `step ${command.type}: repair ${repair.id} is ${repair.status}; ${command.type} follows ${FROM[command.type].join(' or ')}`,
      },
    };
  }
  switch (command.type) {
    case 'onsite':
      Object.assign(changes, { status: RepairStatus.OnSite, onSiteAt: now });
      step('on_site', command.by, { late: now > repair.onSiteBy });
      break;
    case 'assess': {
      const charged = repair.charged || command.cause !== 'builder';
      Object.assign(changes, { status: RepairStatus.Assessed, assessedAt: now, cause: command.cause, taskSheet: command.taskSheet, charged });
      step('assessed', command.by, { cause: command.cause, charged, taskSheet: command.taskSheet });
      break;
    }
    case 'done': {
      // The first completion is the one the 15-day deadline is judged by; a rework keeps it.
      Object.assign(changes, { status: RepairStatus.Done, doneAt: repair.doneAt ?? now, signedOffAt: null, signedOffVia: null });
      step('done', command.by, { late: now > repair.solveBy, ...(repair.status === RepairStatus.NotAccepted ? { rework: true } : {}) });
      messages.push({ kind: 'owner_signoff', round: repair.history.filter((h) => h.action === 'done').length + 1 });
      break;
    }
    case 'sign_off':
      if (command.accepted) {
        Object.assign(changes, { status: RepairStatus.SignedOff, signedOffAt: now, signedOffVia: command.via });
        step('signed_off', 'owner', { via: command.via });
      } else {
        Object.assign(changes, { status: RepairStatus.NotAccepted, signedOffAt: now, signedOffVia: command.via });
        step('not_accepted', 'owner', { via: command.via });
        messages.push({ kind: 'owner_not_accepted' });
      }
      break;
  }
  return { changes, steps, messages };
}

function deadlineOf(repair: Readonly<WarrantyRepair>, deadline: RepairDeadline) {
  return deadline === 'onsite'
    ? { due: repair.status === RepairStatus.Reported, by: repair.onSiteBy, reminded: repair.onSiteRemindedAt, escalated: repair.onSiteEscalatedAt }
    : { due: OPEN.has(repair.status), by: repair.solveBy, reminded: repair.solveRemindedAt, escalated: repair.solveEscalatedAt };
}

export const isRepairRefusal = (outcome: RepairDecision | RepairRefusal): outcome is RepairRefusal => 'refused' in outcome;
