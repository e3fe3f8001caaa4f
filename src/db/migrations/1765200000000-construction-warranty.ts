import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * Construction warranty (docs/rules.md §7): projects with their acceptance date, terms, owner,
 * contractor and warranty card; warranty repairs with their 24 h / 15 d deadlines, reminders,
 * task sheet and history. Warranty visits are visits (`visits.projectId`).
 */
export class ConstructionWarranty1765200000000 implements MigrationInterface {
  name = 'ConstructionWarranty1765200000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(
      q,
      'projects',
      [
        col.key('id'),
        col.text('officeId'),
        col.text('name', 200),
        col.text('acceptedOn', 10),
        col.bool('countFromNextDay', { default: false }),
        col.int('designLifeYears'),
        col.int('otherYears', { nullable: true }),
        col.json('seasons', false),
        col.int('visitEveryMonths', { nullable: true }),
        col.text('warrantyLeadId'),
        col.json('owner', false),
        col.json('contractor', false),
        col.instant('cardIssuedAt'),
        col.instant('createdAt', false),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'idx_projects_office', columnNames: ['officeId'] },
        { name: 'idx_projects_card', columnNames: ['cardIssuedAt', 'acceptedOn'] },
      ],
    );
    await createTable(
      q,
      'warranty_repairs',
      [
        col.id(),
        col.text('officeId'),
        col.text('projectId'),
        col.text('category', 24),
        col.text('location', 200),
        { name: 'description', type: 'text', isNullable: false },
        col.text('status', 16),
        col.instant('reportedAt', false),
        col.instant('onSiteBy', false),
        col.instant('solveBy', false),
        col.instant('onSiteAt'),
        col.instant('assessedAt'),
        col.text('cause', 16, true),
        col.json('taskSheet'),
        col.bool('charged', { default: false }),
        col.instant('doneAt'),
        col.instant('signedOffAt'),
        col.text('signedOffVia', 128, true),
        col.instant('onSiteRemindedAt'),
        col.instant('solveRemindedAt'),
        col.instant('onSiteEscalatedAt'),
        col.instant('solveEscalatedAt'),
        col.json('history', false),
        col.instant('createdAt', false),
        col.instant('updatedAt', false),
      ],
      [
        { name: 'idx_repairs_project', columnNames: ['projectId', 'status'] },
        { name: 'idx_repairs_status', columnNames: ['status', 'solveBy'] },
      ],
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('warranty_repairs');
    await q.dropTable('projects');
  }
}
