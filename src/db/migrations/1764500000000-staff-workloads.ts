import { MigrationInterface, QueryRunner } from 'typeorm';
import { col, createTable } from './table-kit';

/**
 * Kept open-visit counts per staff member (entities/staff-workload.entity.ts), filled from the
 * visits open at the time of migrating.
 */
export class StaffWorkloads1764500000000 implements MigrationInterface {
  name = 'StaffWorkloads1764500000000';

  async up(q: QueryRunner): Promise<void> {
    await createTable(q, 'staff_workloads', [col.key('officeId'), col.key('staffId'), col.int('openVisits', { default: 0 })]);
    await q.query(
      `INSERT INTO staff_workloads (officeId, staffId, openVisits)
       SELECT v.officeId, a.staffId, COUNT(*) FROM visits v JOIN visit_assignees a ON a.visitId = v.id
       WHERE v.status IN ('planned', 'due', 'in_progress', 'overdue', 'unassigned')
       GROUP BY v.officeId, a.staffId`,
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.dropTable('staff_workloads');
  }
}
