import { DateTime } from 'luxon';
import { DataSource, IsNull } from 'typeorm';
import { Office, QuarterArchive, Visit } from '../../entities';
import { inTransaction } from '../db/transaction';
import { Job, JobContext, JobName } from '../jobs/job';
import { officeZone } from '../offices/office-zone';
import { archiveDates, ArchivePolicy } from '../rules/archive-dates';
import { resolvePolicy } from '../rules/office-policy';
import { quarterOf } from '../rules/quarter';
import { retentionEnd } from '../rules/retention-end';
import { Notifier } from '../visits/notifier';
import { anonymiseQuarter } from './anonymiser.service';
import { QuarterArchiver } from './quarter-archiver.service';

/**
 * The `archive` sweep (domain.md §6, SOP 4.8), per office:
 * The days and years are the office's policy (`archiveReminderDay`, `archiveLockDay`,
 * `retentionYears`; defaults 5th, 10th, 2 years).
 * 1. from the 5th of a quarter's next quarter, 09:00 local (`archiveDates.reminderAt`), until
 *    the lock, reminds the supervisors once (dedupe `archive-reminder:<office>:<quarter>`);
 * 2. from the 10th, 00:00 local (`lockAt`), locks the quarter and stores its archive file —
 *    the last quarter always, older ones that have visits but no lock too (a run after
 *    downtime catches up);
 * 3. two years after a lock (`retentionEnd`), anonymises the quarter's personal data, rebuilds
 *    its archive file from the anonymised rows and sets `anonymisedAt`.
 * Every step is idempotent (the outbox's dedupe key, the archive row's primary key,
 * `anonymisedAt`), so reruns and several instances do each thing once. One office's or one
 * quarter's failure never stops the rest.
 */
export class ArchiveJob implements Job {
  readonly name = JobName.Archive;

  constructor(
    private readonly deps: { dataSource: DataSource; notifier: Notifier; archiver: QuarterArchiver; defaultTimeZone: string },
  ) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const offices = await this.deps.dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
    const totals = { offices: offices.length, reminded: 0, locked: 0, anonymised: 0, failed: 0 };
    for (const office of offices) {
      const zone = officeZone(office, this.deps.defaultTimeZone);
      const steps = [
        ['reminded', () => this.remind(office, zone, context)],
        ['locked', () => this.lock(office, zone, context)],
        ['anonymised', () => this.anonymise(office, zone, context)],
      ] as const;
      for (const [counter, step] of steps) {
        try {
          totals[counter] += await step();
        } catch (err) {
          totals.failed += 1;
          context.log.error({ officeId: office.id, step: counter, err: (err as Error).message }, 'archive step failed for an office');
        }
      }
    }
    return totals;
  }

  /** Reminds the supervisors of the last quarter's coming lock; returns messages queued. */
  private async remind(office: Office, zone: string, { now }: JobContext): Promise<number> {
    const quarter = lastQuarter(now, zone);
    const { reminderAt, lockAt } = archiveDates(quarter, zone, archivePolicy(office));
    if (now < reminderAt || now >= lockAt) return 0;
    if (await this.deps.dataSource.getRepository(QuarterArchive).existsBy({ officeId: office.id, quarter })) return 0;
    // Why the zone: the supervisor reads the lock time on the office's clock.
    const lockLocal = DateTime.fromJSDate(lockAt, { zone }).toFormat('M月d日 HH:mm');
    const queued = await inTransaction(this.deps.dataSource, (manager) =>
      this.deps.notifier.tellSupervisors(manager, office, {
        // Once per office and quarter, whoever runs the job and however often.
        key: `archive-reminder:${office.id}:${quarter}`,
        title: '回访记录归档提醒',
        lines: [`${quarter} 的回访记录将于 ${lockLocal} 锁定归档，锁定后不能再修改。`, '请在此之前完成回访记录的审核、确认与处理。'],
        now,
      }),
    );
    return queued.length;
  }

  /** Locks every past quarter whose lock time has come; returns how many were locked. */
  private async lock(office: Office, zone: string, { now, log }: JobContext): Promise<number> {
    const current = quarterOf(now, zone).label;
    const withVisits = await this.deps.dataSource
      .createQueryBuilder(Visit, 'v')
      .select('DISTINCT v.quarter', 'quarter')
      .where('v.officeId = :officeId AND v.quarter < :current', { officeId: office.id, current })
      .getRawMany<{ quarter: string }>();
    const locked = new Set(
      (await this.deps.dataSource.getRepository(QuarterArchive).find({ where: { officeId: office.id }, select: { quarter: true } })).map((a) => a.quarter),
    );
    const due = [...new Set([lastQuarter(now, zone), ...withVisits.map((r) => r.quarter)])]
      .filter((q) => !locked.has(q) && now >= archiveDates(q, zone, archivePolicy(office)).lockAt)
      .sort();
    let count = 0;
    for (const quarter of due) {
      if (await this.deps.archiver.lock(office, quarter, now)) {
        count++;
        log.info({ officeId: office.id, quarter }, 'quarter locked and archived');
      }
    }
    return count;
  }

  /** Anonymises every locked quarter whose retention has ended; returns how many. */
  private async anonymise(office: Office, zone: string, { now, log }: JobContext): Promise<number> {
    const archives = await this.deps.dataSource
      .getRepository(QuarterArchive)
      .find({ where: { officeId: office.id, anonymisedAt: IsNull() }, select: { officeId: true, quarter: true, lockedAt: true }, order: { quarter: 'ASC' } });
    let count = 0;
    for (const archive of archives) {
      if (now < retentionEnd(archive.lockedAt, zone, resolvePolicy(office.policy).retentionYears)) continue;
      const outcome = await inTransaction(this.deps.dataSource, async (manager) => {
        // Re-read under the transaction: another instance may have done it meanwhile.
        const fresh = await manager.findOneBy(QuarterArchive, { officeId: archive.officeId, quarter: archive.quarter, anonymisedAt: IsNull() });
        if (!fresh) return null;
        const result = await anonymiseQuarter(manager, { office, archive: fresh, zone, now });
        await this.deps.archiver.writeFile(manager, office, fresh.quarter, fresh.lockedAt);
        await manager.update(QuarterArchive, { officeId: fresh.officeId, quarter: fresh.quarter }, { anonymisedAt: now });
        return result;
      });
      if (outcome) {
        count++;
        log.info({ officeId: office.id, quarter: archive.quarter, ...outcome }, 'quarter anonymised');
      }
    }
    return count;
  }
}

/** The office's archive reminder and lock days. */
function archivePolicy(office: Office): ArchivePolicy {
  const policy = resolvePolicy(office.policy);
  return { reminderDay: policy.archiveReminderDay, lockDay: policy.archiveLockDay };
}

/** The quarter before the one `now` is in, on the office's clock. */
function lastQuarter(now: Date, zone: string): string {
  return quarterOf(new Date(quarterOf(now, zone).from.getTime() - 1), zone).label;
}
