import { DataSource, In } from 'typeorm';
import { CustomerMessage } from '../../entities';
import { isMysqlSource } from '../db/data-source';
import { inTransaction } from '../db/transaction';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { CustomerLinkTracker, TrackStep } from './customer-link-tracker';

/** Tasks claimed per round; each is followed on its own. */
const BATCH = 50;
/** How long a claim holds before another instance may take the task. */
const LEASE_MS = 120_000;

/**
 * The `customer-messages` job (docs/rules.md §3, docs/wecom.md §7.1): follows every mass-send
 * task that is due a look — learns its msgid once the outbox created it, asks WeCom whether it
 * was sent, reminds the member, and hands the visit on when it cannot arrive. Tasks are claimed
 * with a lease (`FOR UPDATE SKIP LOCKED` on MySQL, SQLite's single writer elsewhere), so two
 * instances never follow one task at once; all state is in `customer_messages`.
 */
export class CustomerMessagesJob {
  constructor(private readonly deps: { dataSource: DataSource; tracker: CustomerLinkTracker; instanceId: string }) {}

  job(): Job {
    return { name: JobName.CustomerMessages, run: (c) => this.run(c) };
  }

  async run({ now, log }: JobContext): Promise<Record<string, unknown>> {
    const outcome: Record<TrackStep, number> = { waiting: 0, created: 0, sent: 0, reminded: 0, handedOn: 0 };
    const failures = new ItemFailures(log);
    const seen = new Set<number>();
    for (;;) {
      const rows = (await this.claim(now)).filter((r) => !seen.has(r.id));
      if (rows.length === 0) break;
      for (const row of rows) {
        seen.add(row.id);
        const step = await failures.attempt({ customerMessageId: row.id, visitId: row.visitId }, () => this.deps.tracker.follow(row, now, this.deps.instanceId), null);
        if (step) outcome[step]++;
      }
    }
    return { ...outcome, ...failures.report() };
  }

  private async claim(now: Date): Promise<CustomerMessage[]> {
    return inTransaction(this.deps.dataSource, async (manager) => {
      const qb = manager
        .getRepository(CustomerMessage)
        .createQueryBuilder('c')
        .select('c.id', 'id')
        .where('c.status IN (:...open)', { open: ['queued', 'created'] })
        .andWhere('c.nextCheckAt <= :now', { now })
        .andWhere('(c.claimedUntil IS NULL OR c.claimedUntil <= :now)', { now })
        .orderBy('c.nextCheckAt', 'ASC')
        .addOrderBy('c.id', 'ASC')
        .limit(BATCH);
      if (isMysqlSource(manager.connection)) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const ids = (await qb.getRawMany<{ id: number }>()).map((r) => Number(r.id));
      if (ids.length === 0) return [];
      await manager.update(CustomerMessage, { id: In(ids) }, { claimedBy: this.deps.instanceId, claimedUntil: new Date(now.getTime() + LEASE_MS) });
      return manager.find(CustomerMessage, { where: { id: In(ids) }, order: { id: 'ASC' } });
    });
  }
}

