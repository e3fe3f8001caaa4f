import { DataSource, IsNull } from 'typeorm';
import { Project } from '../../entities';
import { Job, JobContext, JobName } from '../jobs/job';
import { WarrantyRepairs } from './repair.service';
import { WarrantyCards } from './warranty-card.service';

/**
 * The warranty's schedule (docs/rules.md §7): card reminders until the card is issued (and the
 * supervisors told once its month has passed), and
 * the repairs' deadline reminders and escalations. Each item runs in its own transaction
 * under a row lock and every message is keyed by (item, slot), so a rerun, a catch-up after
 * downtime or a second instance sends nothing twice; one item's failure never stops the sweep.
 */
export class WarrantySweeps {
  constructor(private readonly deps: { dataSource: DataSource; cards: WarrantyCards; repairs: WarrantyRepairs }) {}

  jobs(): Job[] {
    return [{ name: JobName.Warranty, run: (c) => this.run(c) }];
  }

  async run(context: JobContext): Promise<Record<string, number>> {
    const outcome = { cardReminders: 0, cardEscalations: 0 };
    const projects = await this.deps.dataSource.getRepository(Project).find({ select: { id: true }, where: { cardIssuedAt: IsNull() }, order: { id: 'ASC' } });
    for (const { id } of projects) {
      try {
        const { reminded, escalated } = await this.deps.cards.remind(id);
        outcome.cardReminders += Number(reminded);
        outcome.cardEscalations += Number(escalated);
      } catch (err) {
        context.log.error({ projectId: id, err: (err as Error).message }, 'warranty card reminder failed for one project');
      }
    }
    return { ...outcome, ...(await this.deps.repairs.remindAll(context)) };
  }
}
