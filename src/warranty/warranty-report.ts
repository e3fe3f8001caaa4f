import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { Project, RepairStatus, Visit, VisitStatus, WarrantyRepair } from '../../entities';
import { WarrantyEnd, warrantyEnds } from '../rules/warranty-clock';
import type { ReportTable } from '../reports/stats-tables';
import { CATEGORY_LABELS } from './warranty-labels';
import { termsOf } from './warranty-terms';

/** What "expires soon" means in the report: within this many days. */
export const EXPIRY_HORIZON_DAYS = 90;

/** How a repair stands against one deadline. */
export type DeadlineState = 'met' | 'missed' | 'pending';

export interface WarrantyReport {
  projectId: string;
  /** The report's day, local. */
  asOf: string;
  expiring: { category: WarrantyEnd['category']; endsOn: string; daysLeft: number }[];
  repairs: {
    total: number;
    open: number;
    onSite: Record<DeadlineState, number>;
    solved: Record<DeadlineState, number>;
    charged: number;
    list: { id: number; category: string; location: string; status: string; onSite: DeadlineState; solved: DeadlineState; charged: boolean }[];
  };
  visits: { due: number; done: number; onTime: number; late: number; overdue: number; upcoming: number };
}

const CLOSED_REPAIR = new Set([RepairStatus.Done, RepairStatus.SignedOff]);

/**
 * A project's warranty report (docs/rules.md §7 "Reports"), pure: the categories whose warranty
 * ends within {@link EXPIRY_HORIZON_DAYS} days, each repair against its 24 h and 15 d deadlines,
 * and the visits whose window has opened (due) against those recorded (done).
 *
 * Invariants: a deadline is `met` when its step happened by it, `missed` when it happened later
 * or has not happened and the deadline passed, else `pending`; cancelled visits count nowhere.
 */
export function warrantyReport(input: {
  projectId: string;
  ends: readonly WarrantyEnd[];
  repairs: readonly WarrantyRepair[];
  visits: readonly Visit[];
  now: Date;
  zone: string;
}): WarrantyReport {
  const today = DateTime.fromJSDate(input.now, { zone: input.zone }).startOf('day');
  const asOf = today.toISODate()!;
  const expiring = input.ends
    .map((e) => ({ ...e, daysLeft: Math.round(DateTime.fromISO(e.endsOn, { zone: input.zone }).diff(today, 'days').days) }))
    .filter((e) => e.daysLeft >= 0 && e.daysLeft <= EXPIRY_HORIZON_DAYS);
  const state = (done: Date | null, by: Date): DeadlineState => (done ? (done <= by ? 'met' : 'missed') : input.now > by ? 'missed' : 'pending');
  const list = input.repairs.map((r) => ({
    id: r.id,
    category: r.category,
    location: r.location,
    status: r.status,
    onSite: state(r.onSiteAt, r.onSiteBy),
    solved: state(r.doneAt, r.solveBy),
    charged: r.charged,
  }));
  const tally = (key: 'onSite' | 'solved') => ({
    met: list.filter((r) => r[key] === 'met').length,
    missed: list.filter((r) => r[key] === 'missed').length,
    pending: list.filter((r) => r[key] === 'pending').length,
  });
  const live = input.visits.filter((v) => v.status !== VisitStatus.Cancelled);
  const opened = live.filter((v) => v.opensAt <= input.now);
  const done = opened.filter((v) => v.recordedAt);
  return {
    projectId: input.projectId,
    asOf,
    expiring,
    repairs: {
      total: list.length,
      open: input.repairs.filter((r) => !CLOSED_REPAIR.has(r.status)).length,
      onSite: tally('onSite'),
      solved: tally('solved'),
      charged: list.filter((r) => r.charged).length,
      list,
    },
    visits: {
      due: opened.length,
      done: done.length,
      onTime: done.filter((v) => !v.late).length,
      late: done.filter((v) => v.late).length,
      overdue: opened.filter((v) => !v.recordedAt && v.status === VisitStatus.Overdue).length,
      upcoming: live.length - opened.length,
    },
  };
}

/** A project's report now, read from its repairs and visits (the API's report and the console's project page). */
export async function loadWarrantyReport(manager: EntityManager, project: Project, zone: string, now: Date): Promise<WarrantyReport> {
  const [repairs, visits] = await Promise.all([
    manager.find(WarrantyRepair, { where: { projectId: project.id }, order: { id: 'ASC' } }),
    manager.find(Visit, { where: { projectId: project.id }, order: { opensAt: 'ASC' } }),
  ]);
  return warrantyReport({ projectId: project.id, ends: warrantyEnds(termsOf(project)), repairs, visits, now, zone });
}

const STATE_LABELS: Record<DeadlineState, string> = { met: '按时', missed: '超时', pending: '未到期' };

/** The report as tables for the spreadsheet export, with Chinese headers. */
export function warrantyReportTables(report: WarrantyReport): ReportTable[] {
  return [
    {
      title: `${EXPIRY_HORIZON_DAYS}天内到期`,
      headers: ['保修项目', '保修截止日期', '剩余天数'],
      rows: report.expiring.map((e) => [CATEGORY_LABELS[e.category], e.endsOn, e.daysLeft]),
    },
    {
      title: '保修维修',
      headers: ['编号', '保修项目', '部位', '状态', '24小时到场', '15日修复', '收费'],
      rows: report.repairs.list.map((r) => [r.id, CATEGORY_LABELS[r.category as WarrantyEnd['category']] ?? r.category, r.location, r.status, STATE_LABELS[r.onSite], STATE_LABELS[r.solved], r.charged ? '是' : '否']),
    },
    {
      title: '保修回访',
      headers: ['应回访', '已回访', '按时', '逾期完成', '逾期未回访', '未到期'],
      rows: [[report.visits.due, report.visits.done, report.visits.onTime, report.visits.late, report.visits.overdue, report.visits.upcoming]],
    },
  ];
}
