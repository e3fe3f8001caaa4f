import { Column, Entity, PrimaryColumn } from 'typeorm';
import { key } from './columns';

/**
 * Open visits per staff member (the "fewest open visits" rule, docs/rules.md §2), kept by every
 * change that opens or closes a visit — planning, recording, cancelling — in the same
 * transaction, so choosing a specialist reads a few rows instead of counting every open visit
 * of the office. src/visits/staff-workload.ts is the one place that changes it.
 */
@Entity('staff_workloads')
export class StaffWorkload {
  @PrimaryColumn(key(64))
  officeId: string;

  @PrimaryColumn(key(64))
  staffId: string;

  @Column({ type: 'integer', default: 0 })
  openVisits: number;
}
