import { DateTime } from 'luxon';
import { DataSource, IsNull } from 'typeorm';
import { Office, QuarterArchive, Visit } from '../../entities';
import { inTransaction } from '../db/transaction';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { officeZone } from '../offices/office-zone';
import { archiveDates, ArchivePolicy } from '../rules/archive-dates';
import { resolvePolicy } from '../rules/office-policy';
import { EARLIEST_ACCEPTED_INSTANT } from '../rules/accepted-instant';
import { parseQuarter, quarterOf } from '../rules/quarter';
import { retentionEnd } from '../rules/retention-end';
import { Notifier } from '../visits/notifier';
import { anonymiseQuarter } from './anonymiser.service';
import { QuarterArchiver } from './quarter-archiver.service';

/**
 * The `archive` sweep (docs/rules.md §6, SOP 4.8), per office:
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
 * quarter's failure never stops the rest: it is logged and listed in the run's `failures`.
 */
export class ArchiveJob implements Job {
  readonly name = JobName.Archive;

  constructor(
    private readonly deps: { dataSource: DataSource; notifier: Notifier; archiver: QuarterArchiver; defaultTimeZone: string },
  ) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const offices = await this.deps.dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
    const failures = new ItemFailures(context.log);
    const totals = { offices: offices.length, reminded: 0, locked: 0, anonymised: 0 };
    for (const office of offices) {
      const zone = officeZone(office, this.deps.defaultTimeZone);
      const officeId = office.id;
      totals.reminded += await failures.attempt({ officeId, step: 'remind' }, () => this.remind(office, zone, context), 0);
      totals.locked += await failures.attempt({ officeId, step: 'lock' }, () => this.lock(office, zone, context, failures), 0);
      totals.anonymised += await failures.attempt({ officeId, step: 'anonymise' }, () => this.anonymise(office, zone, context, failures), 0);
    }
    return { ...totals, failed: failures.count, ...failures.report() };
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

  /**
   * Locks every past quarter whose lock time has come; returns how many were locked. Each
   * quarter on its own: a quarter that cannot be locked (a corrupted row's label) is reported
   * and the others are locked all the same.
   */
  private async lock(office: Office, zone: string, { now, log }: JobContext, failures: ItemFailures): Promise<number> {
    const current = quarterOf(now, zone).label;
    const withVisits = await this.deps.dataSource
      .createQueryBuilder(Visit, 'v')
      .select('DISTINCT v.quarter', 'quarter')
      .where('v.officeId = :officeId AND v.quarter < :current', { officeId: office.id, current })
      .getRawMany<{ quarter: string }>();
    const locked = new Set(
      (await this.deps.dataSource.getRepository(QuarterArchive).find({ where: { officeId: office.id }, select: { quarter: true } })).map((a) => a.quarter),
    );
    const candidates = [...new Set([lastQuarter(now, zone), ...withVisits.map((r) => r.quarter)])].filter((q) => !locked.has(q)).sort();
    let count = 0;
    for (const quarter of candidates) {
      const done = await failures.attempt({ officeId: office.id, step: 'lock', quarter }, () => this.lockIfDue(office, quarter, zone, now), false);
      if (done) {
        count++;
        log.info({ officeId: office.id, quarter }, 'quarter locked and archived');
      }
    }
    return count;
  }

  /** Locks one quarter if its lock time has come; false when not yet, or locked meanwhile. */
  private async lockIfDue(office: Office, quarter: string, zone: string, now: Date): Promise<boolean> {
    // Throws on a label that names no quarter; a quarter before 2000 is a corrupted row.
    const { from } = parseQuarter(quarter, zone);
    if (from < EARLIEST_ACCEPTED_INSTANT) throw new Error(`quarter "${quarter}" is before 2000: the visits' quarter is corrupted`);
    if (now < archiveDates(quarter, zone, archivePolicy(office)).lockAt) return false;
    return this.deps.archiver.lock(office, quarter, now);
  }

  /** Anonymises every locked quarter whose retention has ended; returns how many. */
  private async anonymise(office: Office, zone: string, { now, log }: JobContext, failures: ItemFailures): Promise<number> {
    const archives = await this.deps.dataSource
      .getRepository(QuarterArchive)
      .find({ where: { officeId: office.id, anonymisedAt: IsNull() }, select: { officeId: true, quarter: true, lockedAt: true }, order: { quarter: 'ASC' } });
    let count = 0;
    for (const archive of archives) {
      if (now < retentionEnd(archive.lockedAt, zone, resolvePolicy(office.policy).retentionYears)) continue;
      const item = { officeId: office.id, step: 'anonymise', quarter: archive.quarter };
      const outcome = await failures.attempt(item, () => this.anonymiseQuarter(office, archive, zone, now), null);
      if (outcome) {
        count++;
        log.info({ officeId: office.id, quarter: archive.quarter, ...outcome }, 'quarter anonymised');
      }
    }
    return count;
  }

  /** Anonymises one locked quarter and rebuilds its file; null when another instance did it. */
  private anonymiseQuarter(office: Office, archive: QuarterArchive, zone: string, now: Date) {
    return inTransaction(this.deps.dataSource, async (manager) => {
      // Re-read under the transaction: another instance may have done it meanwhile.
      const fresh = await manager.findOneBy(QuarterArchive, { officeId: archive.officeId, quarter: archive.quarter, anonymisedAt: IsNull() });
      if (!fresh) return null;
      const result = await anonymiseQuarter(manager, { office, archive: fresh, zone, now });
      await this.deps.archiver.writeFile(manager, office, fresh.quarter, fresh.lockedAt);
      await manager.update(QuarterArchive, { officeId: fresh.officeId, quarter: fresh.quarter }, { anonymisedAt: now });
      return result;
    });
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
