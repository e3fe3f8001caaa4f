import { DataSource, EntityManager } from 'typeorm';
import { CustomerMessage, Office, OutboundMessage, Resident } from '../../entities';
import { ChannelError, CustomerLinkState } from '../channels/channel';
import { ChannelRegistry } from '../channels/channel-registry';
import { inTransaction } from '../db/transaction';
import { officeZone } from '../offices/office-zone';
import { OfficePolicy, resolvePolicy } from '../rules/office-policy';
import { addWorkingTime } from '../rules/working-time';
import { fallbackRoute } from '../visits/resident-route';
import { CustomerLinkOutcome, VisitCommand } from '../visits/visit-decision';
import { VisitLifecycle } from '../visits/visit-lifecycle.service';
import { GROUPMSG_CODES, PLATFORM_REMINDERS_PER_DAY } from './groupmsg-codes';

/** What one look at a task did. */
export type TrackStep = 'waiting' | 'created' | 'sent' | 'reminded' | 'handedOn';

/** How often an unconfirmed task is looked at. */
const CHECK_MS = 10 * 60_000;
const DAY_MS = 86_400_000;

/**
 * Follows one mass-send task (docs/wecom.md §7.1). Each look ends in one of: still waiting
 * (looked at again later), its msgid learnt, sent (the visit knows the resident has the link),
 * a reminder (WeCom's own, within its 3 a day, and — once — ours in chat naming the resident),
 * or handed on (the visit's route falls to the Official Account or the phone, with the reason
 * on its history). The task's row and the visit change in one transaction.
 */
export class CustomerLinkTracker {
  constructor(
    private readonly deps: { dataSource: DataSource; lifecycle: VisitLifecycle; channels: ChannelRegistry; defaultTimeZone: string; officialAccount: boolean },
  ) {}

  async follow(task: CustomerMessage, now: Date, instanceId: string): Promise<TrackStep> {
    const office = await this.deps.dataSource.manager.findOneByOrFail(Office, { id: task.officeId });
    const policy = resolvePolicy(office.policy);
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const save = (manager: EntityManager, changes: Partial<CustomerMessage>) =>
      manager.update(CustomerMessage, { id: task.id, claimedBy: instanceId }, { ...changes, claimedBy: null, claimedUntil: null, updatedAt: now } as never);
    const end = (outcome: CustomerLinkOutcome, status: CustomerMessage['status'], at: Date | null = null): Promise<TrackStep> =>
      inTransaction<TrackStep>(this.deps.dataSource, async (manager) => {
        await this.deps.lifecycle.runIn(manager, task.visitId, await this.outcomeCommand(manager, task, outcome, at, policy), { kind: 'system' });
        await save(manager, { status, outcome: outcome === 'sent' ? null : outcome, ...(at ? { sentAt: at } : {}), nextCheckAt: null });
        const step: TrackStep = outcome === 'sent' ? 'sent' : 'handedOn';
        return step;
      });

    if (task.status === 'queued') {
      const row = await this.deps.dataSource.manager.findOneBy(OutboundMessage, { dedupeKey: task.dedupeKey });
      if (!row || row.status === 'cancelled') {
        await inTransaction(this.deps.dataSource, (m) => save(m, { status: 'failed', outcome: 'cancelled', nextCheckAt: null }));
        return 'handedOn';
      }
      if (row.status === 'failed') return end(task.route === 'external' ? createFailure(row.lastError) : templateFailure(row.lastError), 'failed');
      // A template message is out once WeChat accepted it; a mass-send task waits for its member.
      if (row.status === 'sent' && task.route === 'official_account') return end('sent', 'sent', row.sentAt ?? now);
      const msgid = (row.receipt as { messageId?: string } | null)?.messageId;
      if (row.status !== 'sent' || !msgid) {
        if (row.status === 'sent') return end('not_created', 'failed');
        // Not sent yet (quiet hours, a retry): look again once the outbox tries it.
        const next = Math.max(now.getTime() + 60_000, row.nextAttemptAt.getTime() + 60_000);
        await inTransaction(this.deps.dataSource, (m) => save(m, { nextCheckAt: new Date(next) }));
        return 'waiting';
      }
      await inTransaction(this.deps.dataSource, (m) => save(m, { status: 'created', msgid, taskCreatedAt: row.sentAt ?? now, nextCheckAt: new Date(now.getTime() + CHECK_MS) }));
      return 'created';
    }

    const created = task.taskCreatedAt ?? task.createdAt;
    const phoneAt = addWorkingTime(created, policy.customerMessages.phoneAfterWorkingHours, zone, policy.workingHours);
    const state = await this.stateOf(task);
    if ('gone' in state) return end(state.gone, 'failed');
    if (state.state === 'sent') return end('sent', 'sent', state.at ?? now);
    if (state.state === 'not_friend') return end('not_friend', 'failed');
    if (state.state === 'cap_reached') return end('cap_reached', 'failed');
    if (now >= phoneAt) return end('unsent', 'unsent');

    const reminders = task.platformReminders ?? [];
    const remindAt = addWorkingTime(created, policy.customerMessages.remindEveryWorkingHours * (reminders.length + 1), zone, policy.workingHours);
    const nextCheckAt = new Date(Math.min(now.getTime() + CHECK_MS, phoneAt.getTime()));
    if (now < remindAt) {
      await inTransaction(this.deps.dataSource, (m) => save(m, { nextCheckAt }));
      return 'waiting';
    }
    const reminded = await this.remindOnPlatform(task, reminders, now);
    if (typeof reminded !== 'string') return end(reminded.gone, 'failed');
    return inTransaction<TrackStep>(this.deps.dataSource, async (manager) => {
      if (!task.chatRemindedAt) {
        await this.deps.lifecycle.runIn(manager, task.visitId, { type: 'customer_link_pending', sender: task.sender, phoneAt }, { kind: 'system' });
      }
      await save(manager, { platformReminders: [...reminders, reminded], chatRemindedAt: task.chatRemindedAt ?? now, nextCheckAt });
      return 'reminded';
    });
  }

  /** WeCom's answer on the task, or why the task is gone for good; an answer that says nothing counts as unsent. */
  private async stateOf(task: CustomerMessage): Promise<CustomerLinkState | { gone: CustomerLinkOutcome }> {
    const channel = this.deps.channels.get('wecom');
    if (!channel?.customerLinkState || !task.msgid) return { state: 'unsent' };
    try {
      return await channel.customerLinkState(task.msgid, task.sender, task.externalUserId);
    } catch (err) {
      const gone = goneBy(err);
      if (gone) return { gone };
      // Busy, throttled, or a code we do not know: the wait still ends at its time.
      return { state: 'unsent' };
    }
  }

  /**
   * WeCom's own reminder, when fewer than 3 went out in the last 24 h: the instant it went, or
   * `skip:<instant>` when the limit (or a refusal) held it back; the task's end when it is gone.
   */
  private async remindOnPlatform(task: CustomerMessage, reminders: string[], now: Date): Promise<string | { gone: CustomerLinkOutcome }> {
    const lastDay = reminders.filter((r) => !r.startsWith('skip:') && now.getTime() - Date.parse(r) < DAY_MS);
    const channel = this.deps.channels.get('wecom');
    if (lastDay.length >= PLATFORM_REMINDERS_PER_DAY || !channel?.remindCustomerLink || !task.msgid) return `skip:${now.toISOString()}`;
    try {
      await channel.remindCustomerLink(task.msgid);
      return now.toISOString();
    } catch (err) {
      const gone = goneBy(err);
      return gone ? { gone } : `skip:${now.toISOString()}`;
    }
  }

  private async outcomeCommand(manager: EntityManager, task: CustomerMessage, outcome: CustomerLinkOutcome, at: Date | null, policy: OfficePolicy): Promise<VisitCommand> {
    const resident = await manager.findOneBy(Resident, { officeId: task.officeId, id: task.residentId });
    const fallback = fallbackRoute(resident, { officialAccount: this.deps.officialAccount && policy.officialAccount !== null });
    const purpose = task.dedupeKey.startsWith('customer-resolution:') ? 'resolution' : 'survey';
    return { type: 'customer_link_outcome', via: task.route, outcome, purpose, at, fallback };
  }
}

/** Why a task is gone for good, by WeCom's errcode (src/wechat/groupmsg-codes.ts), or null. */
function goneBy(err: unknown): CustomerLinkOutcome | null {
  if (!(err instanceof ChannelError) || typeof err.platformCode !== 'number') return null;
  if (GROUPMSG_CODES.memberLeft.has(err.platformCode)) return 'member_left';
  if (GROUPMSG_CODES.taskGone.has(err.platformCode)) return 'task_gone';
  return null;
}

/** Why the outbox could not create the task, from the row's last error (`reason (errcode): …`). */
function createFailure(lastError: string | null): CustomerLinkOutcome {
  const code = Number(/\((-?\d+)\)/.exec(lastError ?? '')?.[1]);
  if (GROUPMSG_CODES.memberLeft.has(code)) return 'member_left';
  if (GROUPMSG_CODES.unknownCustomer.has(code) || lastError?.startsWith('unknown_recipient')) return 'unknown_customer';
  return 'not_created';
}

/** Why the Official Account refused a template message (src/wechat/official-account.client.ts). */
function templateFailure(lastError: string | null): CustomerLinkOutcome {
  const code = Number(/\((-?\d+)\)/.exec(lastError ?? '')?.[1]);
  if (code === 40037) return 'template_not_owned';
  if (code === 43004 || code === 40003 || code === 43101) return 'not_following';
  return 'not_created';
}
