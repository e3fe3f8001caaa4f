import { EntityManager, In } from 'typeorm';
import { OutboundMessage, Project, StaffMember, Visit } from '../../entities';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { DomainError } from '../errors';
import { OPEN } from '../visits/lifecycle-draft';
import { Notifier } from '../visits/notifier';
import { Assignee } from '../visits/visit-decision';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import type { ProjectSetting } from './project.service';

/**
 * A project's warranty lead changed (docs/rules.md §7): in the caller's transaction, every
 * warranty visit of the project not yet recorded moves to the new lead through the lifecycle's
 * `reassign` (history on each visit; a visit whose window is open reminds the new lead at once),
 * reminders still queued for the old lead about those visits are withdrawn, the new lead is told
 * which visits are now theirs, and the project's history notes the change. Visits already
 * recorded stay with whoever made them. Returns the ids of the visits moved.
 */
export async function handOverWarrantyVisits(
  manager: EntityManager,
  deps: { lifecycle: VisitLifecycle; notifier: Notifier },
  setting: ProjectSetting & { lead: StaffMember },
  from: string,
  to: Assignee,
  now: Date,
): Promise<number[]> {
  const { project, office, lead } = setting;
  const open = await manager.find(Visit, { select: { id: true }, where: { projectId: project.id, status: In([...OPEN]) }, order: { opensAt: 'ASC', id: 'ASC' } });
  const moved: number[] = [];
  for (const { id } of open) {
    try {
      const applied = await deps.lifecycle.runIn(manager, id, { type: 'reassign', to, reason: 'warranty_lead_changed' }, { kind: 'system' });
      if (applied.decision.assignees) moved.push(id);
    } catch (err) {
      // A visit of an archived quarter is read-only: it keeps its visitor (nothing was written for it).
      if (err instanceof DomainError && err.code === 'quarter_archived') continue;
      throw err;
    }
  }
  if (moved.length > 0) {
    await manager.update(
      OutboundMessage,
      { visitId: In(moved), recipientKind: 'staff', recipientId: from, status: 'pending' },
      { status: 'cancelled', lastError: 'visit moved to the new warranty lead' },
    );
  }
  const previous = await manager.findOneBy(StaffMember, { officeId: office.id, id: from });
  const history = [...(project.history ?? []), { at: now.toISOString(), action: 'warranty_lead_changed', by: 'admin', details: { from, to: to.staffId, visitsMoved: moved } }];
  await manager.update(Project, { id: project.id }, { history } as never);
  project.history = history;
  await deps.notifier.tellStaff(manager, office, lead, {
    key: `warranty-lead:${project.id}:${now.getTime()}`,
    purpose: 'warranty_lead_handover',
    payload: renderPlainNotice({
      title: '您已接任工程保修负责人',
      lines: [
        `工程「${project.name}」的保修负责人已改为您（原负责人 ${previous?.name ?? from}）。`,
        moved.length > 0 ? `尚未完成的 ${moved.length} 次保修回访已转给您，回访时间开始时会提醒您。` : '目前没有待完成的保修回访。',
        '保修证书和保修维修的提醒今后也发给您。',
      ],
      uniqueTag: `warranty-lead:${project.id}:${now.toISOString()}`,
      officeName: office.name,
    }),
    now,
  });
  return moved;
}
