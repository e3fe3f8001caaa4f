import { EntityManager } from 'typeorm';
import { QuarterArchive, Visit } from '../../entities';
import { readLock } from '../db/transaction';
import { ConflictError } from '../errors';

/**
 * Refuses a change to a visit record of a locked quarter with `409 quarter_archived`
 * (docs/rules.md §6: on the 10th the quarter is locked, read-only). Call it inside the
 * transaction that changes the visit, after reading the visit.
 *
 * Locked are the records the archive holds and the visits that could no longer be made on
 * time: every visit of the quarter, except one whose window was still open at the lock and
 * that had no record yet then. Those exist because a visit is counted in the quarter of its
 * work order's completion while a repair's window runs up to two months after it: a repair
 * completed on 20 December is visited from 20 January, after the lock on 10 January. Such a
 * visit is not in the archive and stays writable, so the visit can still be made.
 *
 * On MySQL the archive row is read with a share lock, so a change racing the archive job
 * either commits before the archive is built (and is in the file) or sees the lock.
 */
export async function assertWritable(manager: EntityManager, visit: Pick<Visit, 'officeId' | 'quarter' | 'closesAt' | 'recordedAt'>): Promise<void> {
  const archive = await manager.findOne(QuarterArchive, {
    where: { officeId: visit.officeId, quarter: visit.quarter },
    select: { officeId: true, quarter: true, lockedAt: true },
    ...readLock(manager),
  });
  if (!archive) return;
  const openAtLock = visit.closesAt > archive.lockedAt && (visit.recordedAt === null || visit.recordedAt > archive.lockedAt);
  if (openAtLock) return;
  throw new ConflictError('quarter_archived', `the visit records of ${visit.quarter} are archived and can no longer be changed`);
}
