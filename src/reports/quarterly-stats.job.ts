import { DateTime } from 'luxon';
import { DataSource, In } from 'typeorm';
import { Office, OutboundMessage } from '../../entities';
import { inTransaction } from '../db/transaction';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { activeStaffWithRole } from '../offices/office-staff';
import { officeZone } from '../offices/office-zone';
import { quarterOf } from '../rules/quarter';
import { Notifier } from '../visits/notifier';
import { QuarterlyStatsService } from './quarterly-stats.service';
import { KIND_SHORT_LABELS, percentText } from './form-labels';

/** The quarter's statistics are announced from 09:00 on the first day of the next quarter. */
const ANNOUNCE_HOUR = 9;

/**
 * `quarterly-stats` (SOP 4.7): when a quarter has ended in an office's zone, its statistics
 * table (走访回访统计表) is compiled and each supervisor is told, with the figures per kind, to
 * review it in writing; the manager then decides. Once per office, quarter and supervisor (the
 * notice's unique key): an office whose supervisors all have the notice queued is skipped
 * before anything is compiled, so the hourly run costs one lookup per office.
 * One office's failure never stops the others: it is logged and listed in the run's `failures`.
 */
export class QuarterlyStatsJob implements Job {
  readonly name = JobName.QuarterlyStats;

  constructor(
    private readonly deps: { dataSource: DataSource; notifier: Notifier; stats: QuarterlyStatsService; defaultTimeZone: string; publicBaseUrl: string },
  ) {}

  async run({ now, log }: JobContext): Promise<Record<string, unknown>> {
    const offices = await this.deps.dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
    const failures = new ItemFailures(log);
    let announced = 0;
    for (const office of offices) {
      if (await failures.attempt({ officeId: office.id }, () => this.announce(office, now), false)) announced++;
    }
    return { announced, ...failures.report() };
  }

  /** Announces the last quarter's statistics to the office's supervisors; false when not (yet, or again). */
  private async announce(office: Office, now: Date): Promise<boolean> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    // Why the office zone: a quarter ends at midnight where the office is.
    const local = DateTime.fromJSDate(now, { zone });
    if (local.hour < ANNOUNCE_HOUR && local.day === 1 && [1, 4, 7, 10].includes(local.month)) return false;
    const previous = quarterOf(local.startOf('quarter').minus({ days: 1 }).toJSDate(), zone);
    const key = `quarterly-stats:${office.id}:${previous.label}`;

    const supervisors = await activeStaffWithRole(this.deps.dataSource.manager, office.id, 'supervisor');
    if (supervisors.length === 0) return false;
    // The notice's keys per supervisor (Notifier.tellStaff): all queued means nothing to compile.
    const queued = await this.deps.dataSource.getRepository(OutboundMessage).countBy({ dedupeKey: In(supervisors.map((s) => `${key}:${s.id}`)) });
    if (queued === supervisors.length) return false;

    const figures = await this.deps.stats.compute(office, previous.label, now);
    const lines = figures.kinds
      .filter((k) => k.eligible > 0)
      .map((k) => `${(KIND_SHORT_LABELS as Record<string, string>)[k.kind] ?? k.kind}：应回访 ${k.eligible}，按时 ${k.onTime}，回访率 ${percentText(k.rate)}（目标 ${percentText(k.target)}）`);
    lines.push(`不合格 ${figures.unqualified.length} 件；重复投诉 ${figures.repeatComplaints.length} 户；重复维修 ${figures.repeatRepairs.length} 户。`);
    lines.push(`请审核统计表并填写书面意见：${this.deps.publicBaseUrl}/api/stats/quarterly.xlsx?officeId=${encodeURIComponent(office.id)}&quarter=${previous.label}`);
    const added = await inTransaction(this.deps.dataSource, (manager) =>
      this.deps.notifier.tellSupervisors(manager, office, {
        key,
        title: `${previous.label} 走访回访统计表已生成`,
        lines: lines.length > 2 ? lines : ['本季度没有需要回访的工单。', ...lines.slice(-1)],
        now,
      }),
    );
    return added.length > 0;
  }
}
