import { Column, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { instant, json, shortText } from './columns';

/**
 * One run of a scheduled job for one slot. Unique on (job, slot): the instance whose insert
 * wins runs the slot, every other instance skips it.
 */
@Entity('job_runs')
@Index('uq_job_runs_slot', ['job', 'slot'], { unique: true })
export class JobRun {
  @PrimaryGeneratedColumn({ type: 'integer' })
  id: number;

  @Column(shortText(48))
  job: string;

  @Column(shortText(64))
  slot: string;

  @Column(shortText(64))
  instanceId: string;

  @Column(shortText(16))
  status: 'running' | 'done' | 'failed';

  @Column(instant({ nullable: false }))
  startedAt: Date;

  @Column(instant())
  finishedAt: Date | null;

  @Column(json())
  result: unknown;
}
