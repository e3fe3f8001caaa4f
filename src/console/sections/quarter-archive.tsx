import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { DataSource, Like } from 'typeorm';
import { OutboundMessage } from '../../../entities';
import { QuarterlyReport } from '../../reports/quarterly-report.service';
import { archiveDates } from '../../rules/archive-dates';
import { resolvePolicy } from '../../rules/office-policy';
import { QuarterScope } from './quarter-scope';

/** Where a quarter stands in its archiving (docs/rules.md §6), on the office's clock. */
export interface ArchiveState {
  /** When the supervisors are (or were) reminded of the coming lock, and the lock itself. */
  reminderAt: string;
  lockAt: string;
  /** When the reminder was queued, if it was (the archive sweep's once-per-quarter notice). */
  remindedAt: string | null;
  lockedAt: string | null;
  anonymisedAt: string | null;
}

const day = (at: Date | string, zone: string): string => DateTime.fromJSDate(new Date(at), { zone }).toFormat('yyyy年M月d日 HH:mm');

/** The archive state of the scope's quarter: its dates by the office's policy, and what happened. */
export async function archiveState(dataSource: DataSource, scope: QuarterScope, archive: QuarterlyReport['archive']): Promise<ArchiveState> {
  const policy = resolvePolicy(scope.office.policy);
  const dates = archiveDates(scope.quarter.label, scope.zone, { reminderDay: policy.archiveReminderDay, lockDay: policy.archiveLockDay });
  // The archive sweep queues one reminder per supervisor, keyed `archive-reminder:<office>:<quarter>:<staff>`.
  const reminder = await dataSource.getRepository(OutboundMessage).findOne({
    where: { officeId: scope.office.id, dedupeKey: Like(`archive-reminder:${scope.office.id}:${scope.quarter.label}:%`) },
    order: { createdAt: 'ASC' },
    select: { id: true, createdAt: true },
  });
  return {
    reminderAt: day(dates.reminderAt, scope.zone),
    lockAt: day(dates.lockAt, scope.zone),
    remindedAt: reminder ? day(reminder.createdAt, scope.zone) : null,
    lockedAt: archive ? day(archive.lockedAt, scope.zone) : null,
    anonymisedAt: archive?.anonymisedAt ? day(archive.anonymisedAt, scope.zone) : null,
  };
}

/** The archive state as the quarter page shows it. */
export function ArchiveSection({ state }: { state: ArchiveState }): VNode {
  return (
    <section data-section="archive" data-locked={state.lockedAt ? 'true' : 'false'}>
      <h2>归档</h2>
      <table>
        <tbody>
          <tr>
            <th>归档提醒</th>
            <td data-reminded={state.remindedAt ? 'true' : 'false'}>{state.remindedAt ? `已于 ${state.remindedAt} 提醒主管` : `未提醒（计划 ${state.reminderAt}）`}</td>
          </tr>
          <tr>
            <th>锁定归档</th>
            <td data-archived={state.lockedAt ?? undefined}>{state.lockedAt ? `已于 ${state.lockedAt} 锁定归档，记录只读` : `未归档（将于 ${state.lockAt} 锁定）`}</td>
          </tr>
          {state.anonymisedAt ? (
            <tr>
              <th>匿名化</th>
              <td>已于 {state.anonymisedAt} 去除个人信息（保留期满）</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </section>
  );
}
