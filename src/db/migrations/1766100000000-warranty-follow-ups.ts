import { MigrationInterface, QueryRunner, TableColumn } from 'typeorm';
import { col } from './table-kit';

/**
 * What the warranty's follow-ups keep on the project (docs/rules.md §7):
 * - `projects.cardEscalatedAt`: when the supervisors were told the warranty card was not issued
 *   within its month (told once, whoever runs the sweep);
 * - `projects.history`: what happened to the project itself (the card's escalation, a change of
 *   warranty lead and the visits it moved), as repairs and visits keep theirs.
 */
export class WarrantyFollowUps1766100000000 implements MigrationInterface {
  name = 'WarrantyFollowUps1766100000000';

  async up(q: QueryRunner): Promise<void> {
    await q.addColumns('projects', [new TableColumn(col.instant('cardEscalatedAt')), new TableColumn(col.json('history'))]);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropColumn('projects', 'history');
    await q.dropColumn('projects', 'cardEscalatedAt');
  }
}
