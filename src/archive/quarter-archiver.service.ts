import { DataSource, EntityManager } from 'typeorm';
import { Office, QuarterArchive, Visit } from '../../entities';
import { inTransaction, isUniqueViolation, lockRows } from '../db/transaction';
import { QuarterlyReviewService } from '../reports/quarterly-review.service';
import { QuarterlyStatsService } from '../reports/quarterly-stats.service';
import { buildArchiveFile } from './archive-file';
import { archiveStore } from './archive-store';
import { officeZone } from '../offices/office-zone';

/**
 * Locks quarters (docs/rules.md §6, SOP 4.8) and keeps their archive files: the row in
 * `quarter_archives` is the lock, the XLSX of records and statistics (as of the lock) is
 * the archive file.
 */
export class QuarterArchiver {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      stats: QuarterlyStatsService;
      reviews: QuarterlyReviewService;
      defaultTimeZone: string;
    },
  ) {}

  /**
   * Locks the quarter at `now` and stores its archive file, in one transaction. False when it
   * was locked already (by an earlier run or another instance): the unique row is the claim.
   */
  async lock(office: Office, quarter: string, now: Date): Promise<boolean> {
    return inTransaction(this.deps.dataSource, async (manager) => {
      try {
        await manager
          .createQueryBuilder()
          .insert()
          .into(QuarterArchive)
          .values({ officeId: office.id, quarter, lockedAt: now, fileName: fileNameOf(office.id, quarter), fileSize: 0, fileSha256: '' })
          .execute();
      } catch (err) {
        // Why swallow: the primary key (office, quarter) is the lock itself; a duplicate means
        // this quarter is already locked and archived.
        if (isUniqueViolation(err)) return false;
        throw err;
      }
      // Why: a record being written right now holds its visit row; waiting for those rows
      // means the file below sees every change committed before the lock, and every later
      // change sees the lock row (assertWritable reads it with a share lock).
      await lockRows(manager, Visit, { officeId: office.id, quarter });
      await this.writeFile(manager, office, quarter, now);
      return true;
    });
  }

  /**
   * (Re)builds and stores the archive file of a locked quarter from the rows as they are now,
   * with the statistics as of the lock — so they are the same every time it is built.
   */
  async writeFile(manager: EntityManager, office: Office, quarter: string, lockedAt: Date): Promise<void> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const [figures, review] = await Promise.all([
      this.deps.stats.compute(office, quarter, lockedAt, manager),
      this.deps.reviews.state(office.id, quarter, manager),
    ]);
    const bytes = await buildArchiveFile(manager, { office, zone, quarter, figures, review });
    const stored = await archiveStore.write(manager, office.id, quarter, bytes);
    await manager.update(QuarterArchive, { officeId: office.id, quarter }, { fileSize: stored.size, fileSha256: stored.sha256 });
  }

  /** The archive file of a locked quarter, or null when the quarter is not locked. */
  async file(officeId: string, quarter: string): Promise<{ fileName: string; bytes: Buffer } | null> {
    const manager = this.deps.dataSource.manager;
    const archive = await manager.findOneBy(QuarterArchive, { officeId, quarter });
    if (!archive) return null;
    const bytes = await archiveStore.read(manager, officeId, quarter);
    if (bytes.length !== archive.fileSize) throw new Error(`archive file of ${officeId} ${quarter} is incomplete`);
    return { fileName: archive.fileName, bytes };
  }
}

function fileNameOf(officeId: string, quarter: string): string {
  return `回访记录归档-${officeId}-${quarter}.xlsx`.slice(0, 191);
}
