import { Between, DataSource, In, IsNull, LessThanOrEqual } from 'typeorm';
import { Office, OutboundMessage } from '../../entities';
import { ChannelError, CustomerLink, RenderedMessage, SendReceipt } from '../channels/channel';
import { ChannelRegistry } from '../channels/channel-registry';
import { Clock } from '../clock';
import { isMysqlSource } from '../db/data-source';
import { inTransaction } from '../db/transaction';
import { Logger } from '../log';
import { Notifier } from '../visits/notifier';
import { APP_CALLS_PER_SECOND, CallRateLimiter, MAX_ATTEMPTS, RECIPIENT_LIMITS, retryDelayMs } from './pacing';

/** Sends a group-robot message (WeCom or DingTalk robot URL); throws ChannelError. */
export type RobotSender = (url: string, payload: Record<string, unknown>) => Promise<void>;

export interface DispatchOutcome {
  claimed: number;
  sent: number;
  retried: number;
  failed: number;
  /** Held back to stay within a person's per-minute/hour/day limit. */
  paced: number;
}

/**
 * Sends due outbox rows. Rows are claimed with a lease (`FOR UPDATE SKIP LOCKED` on MySQL,
 * SQLite's single writer elsewhere), so two dispatchers never take the same row; each row is
 * marked sent right after its send, so a crash can only repeat the one message in flight —
 * and that resend is dropped by the platform's own duplicate check (WeCom
 * `enable_duplicate_check`, DingTalk's same-content rule, card ids that exist once).
 */
export class OutboxDispatcher {
  /** Keeps this instance's calls to each platform under its per-app rate (see pacing.ts). */
  private readonly limiter = new CallRateLimiter(APP_CALLS_PER_SECOND);

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      channels: ChannelRegistry;
      notifier: Notifier;
      log: Logger;
      instanceId: string;
      robot?: RobotSender;
      batchSize?: number;
      /** How long a claim holds before another dispatcher may take the row. */
      leaseMs?: number;
      random?: () => number;
    },
  ) {}

  /** One sweep: claim a batch of due rows and send them, one failure never stopping the rest. */
  async runOnce(): Promise<DispatchOutcome> {
    const outcome: DispatchOutcome = { claimed: 0, sent: 0, retried: 0, failed: 0, paced: 0 };
    const rows = await this.claim();
    outcome.claimed = rows.length;
    for (const row of rows) {
      const result = await this.deliver(row).catch((err: unknown) => {
        this.deps.log.error({ outboxId: row.id, err: (err as Error).message }, 'outbox row could not be processed');
        return 'retried' as const;
      });
      outcome[result] += 1;
    }
    return outcome;
  }

  /** Sweeps until nothing due is left (or `maxRounds`); for jobs run by hand and tests. */
  async drain(maxRounds = 100): Promise<DispatchOutcome> {
    const total: DispatchOutcome = { claimed: 0, sent: 0, retried: 0, failed: 0, paced: 0 };
    for (let round = 0; round < maxRounds; round++) {
      const once = await this.runOnce();
      for (const key of Object.keys(total) as (keyof DispatchOutcome)[]) total[key] += once[key];
      if (once.claimed === 0) break;
    }
    return total;
  }

  private async claim(): Promise<OutboundMessage[]> {
    const now = this.deps.clock.now();
    const leaseUntil = new Date(now.getTime() + (this.deps.leaseMs ?? 120_000));
    return inTransaction(this.deps.dataSource, async (manager) => {
      const qb = manager
        .getRepository(OutboundMessage)
        .createQueryBuilder('m')
        .select('m.id', 'id')
        .where('m.status = :pending', { pending: 'pending' })
        .andWhere('m.nextAttemptAt <= :now', { now })
        .andWhere('(m.claimedUntil IS NULL OR m.claimedUntil <= :now)', { now })
        .orderBy('m.nextAttemptAt', 'ASC')
        .addOrderBy('m.id', 'ASC')
        .limit(this.deps.batchSize ?? 50);
      // Why SKIP LOCKED: a second dispatcher passes over rows the first is claiming instead of
      // waiting for them, and so claims a disjoint batch.
      if (isMysqlSource(manager.connection)) qb.setLock('pessimistic_write').setOnLocked('skip_locked');
      const ids = (await qb.getRawMany<{ id: number }>()).map((r) => Number(r.id));
      if (ids.length === 0) return [];
      await manager.update(OutboundMessage, { id: In(ids) }, { claimedBy: this.deps.instanceId, claimedUntil: leaseUntil });
      return manager.find(OutboundMessage, { where: { id: In(ids) }, order: { nextAttemptAt: 'ASC', id: 'ASC' } });
    });
  }

  private async deliver(row: OutboundMessage): Promise<keyof Omit<DispatchOutcome, 'claimed'>> {
    const now = this.deps.clock.now();
    const pacedUntil = await this.pacedUntil(row, now);
    if (pacedUntil) {
      await this.release(row, { nextAttemptAt: pacedUntil });
      return 'paced';
    }
    try {
      const receipt = await this.send(row);
      await this.finish(row, { status: 'sent', sentAt: this.deps.clock.now(), receipt, lastError: null, attempts: row.attempts + 1 });
      return 'sent';
    } catch (err) {
      const failure =
        err instanceof ChannelError ? err : new ChannelError('unavailable', (err as Error)?.message ?? String(err), true);
      const attempts = row.attempts + 1;
      if (failure.retryable && attempts < MAX_ATTEMPTS) {
        const delay = retryDelayMs(attempts, this.deps.random ?? Math.random, failure.retryAfterMs ?? 0);
        await this.release(row, { attempts, lastError: describe(failure), nextAttemptAt: new Date(now.getTime() + delay) });
        this.deps.log.warn({ outboxId: row.id, reason: failure.reason, code: failure.platformCode, attempts, delayMs: delay }, 'send failed; will retry');
        return 'retried';
      }
      await this.fail(row, attempts, failure);
      return 'failed';
    }
  }

  private async send(row: OutboundMessage): Promise<SendReceipt | { robot: true } | { updated: true }> {
    await this.limiter.take(row.channel);
    if (row.channel === 'robot') {
      if (!this.deps.robot) throw new ChannelError('configuration', 'no group robot is configured', false);
      await this.deps.robot(row.address, row.payload as Record<string, unknown>);
      return { robot: true };
    }
    if (!row.address) throw new ChannelError('unknown_recipient', `recipient has no ${row.channel} user id`, false);
    const channel = this.deps.channels.get(row.channel);
    if (!channel) throw new ChannelError('configuration', `the ${row.channel} channel is not configured`, false);
    if (isCustomerLink(row.payload)) {
      if (!channel.sendCustomerLink) throw new ChannelError('configuration', `${row.channel} cannot reach external customers`, false);
      return channel.sendCustomerLink(row.payload.customerLink);
    }
    if (isCardUpdate(row.payload)) {
      const { receipt, responseCode, replaceText, message } = row.payload.cardUpdate;
      await channel.update({ receipt, userIds: [row.address], responseCode }, message ? { message } : { replaceText });
      return { updated: true };
    }
    const receipt = await channel.send([row.address], row.payload as RenderedMessage);
    if (receipt.invalidRecipients?.some((u) => u.toLowerCase() === row.address.toLowerCase())) {
      throw new ChannelError('unknown_recipient', `${row.channel} does not know the recipient`, false);
    }
    return receipt;
  }

  /**
   * When this row's recipient already got their fill for a window, the instant a place frees
   * up (the oldest send in that window leaving it), else null. Counted in the database so
   * every instance sees the same sends.
   */
  private async pacedUntil(row: OutboundMessage, now: Date): Promise<Date | null> {
    const limits = RECIPIENT_LIMITS[row.channel] ?? [];
    for (const limit of limits) {
      const since = new Date(now.getTime() - limit.windowMs);
      const recent = await this.deps.dataSource.getRepository(OutboundMessage).find({
        select: { sentAt: true },
        where: { channel: row.channel, address: row.address, status: 'sent', sentAt: LessThanOrEqual(now) },
        order: { sentAt: 'DESC' },
        take: limit.max,
      });
      const inWindow = recent.filter((r) => r.sentAt! > since);
      if (inWindow.length >= limit.max) {
        const oldest = inWindow[inWindow.length - 1].sentAt!;
        return new Date(oldest.getTime() + limit.windowMs + 1_000);
      }
    }
    return null;
  }

  /** Gives the row back for a later attempt (clears this dispatcher's claim). */
  private async release(row: OutboundMessage, changes: Partial<OutboundMessage>): Promise<void> {
    await this.finish(row, { ...changes, status: 'pending' });
  }

  private async finish(row: OutboundMessage, changes: Partial<OutboundMessage>): Promise<void> {
    // Why the claimedBy condition: if our lease ran out and another dispatcher took the row,
    // its outcome wins; ours must not overwrite it.
    await this.deps.dataSource
      .getRepository(OutboundMessage)
      .update({ id: row.id, claimedBy: this.deps.instanceId }, { ...changes, claimedBy: null, claimedUntil: null } as never);
  }

  /**
   * Marks a row failed and tells the supervisor. `from` is the row's state this dispatcher
   * holds it in: claimed by it (a send), or sent (a delivery check that found a failure).
   */
  private async fail(row: OutboundMessage, attempts: number, failure: ChannelError, from: 'claimed' | 'sent' = 'claimed'): Promise<void> {
    const now = this.deps.clock.now();
    const held = from === 'claimed' ? { id: row.id, claimedBy: this.deps.instanceId } : { id: row.id, status: 'sent' as const };
    await inTransaction(this.deps.dataSource, async (manager) => {
      await manager
        .getRepository(OutboundMessage)
        .update(held, { status: 'failed', attempts, lastError: describe(failure), claimedBy: null, claimedUntil: null, deliveryCheckedAt: from === 'sent' ? now : null });
      // The supervisor hears of a message that will never arrive — unless it was a notice to
      // the supervisors themselves, which would only fail again.
      if (row.purpose === 'supervisor_notice') return;
      const office = await manager.findOneBy(Office, { id: row.officeId });
      if (!office) return;
      await this.deps.notifier.tellSupervisors(manager, office, {
        key: `outbox_failed:${row.id}`,
        visitId: row.visitId,
        title: '消息发送失败',
        lines: [
          `发给 ${row.recipientKind === 'staff' ? '员工' : row.recipientKind === 'resident' ? '住户' : '群'} ${row.recipientId} 的消息（${row.purpose}${row.visitId ? `，回访 #${row.visitId}` : ''}）无法送达：${reasonLabel(failure)}。`,
          '请核对其企业微信/钉钉账号，或改用电话联系。',
        ],
        now,
      });
    });
    this.deps.log.warn({ outboxId: row.id, reason: failure.reason, code: failure.platformCode }, 'send failed permanently');
  }

  /**
   * Asks platforms that may accept and then drop a message (DingTalk work notices) what
   * became of sends at least a minute old. A drop is queued again — one minute later for the
   * per-minute limit, the next day for the daily cap — with a resend mark, because DingTalk
   * drops the same content to the same person twice a day; a failure is handled as a failed
   * send (the supervisor is told).
   */
  async checkDeliveries(): Promise<{ checked: number; dropped: number; failed: number }> {
    const now = this.deps.clock.now();
    const outcome = { checked: 0, dropped: 0, failed: 0 };
    const checkable = this.deps.channels.names().filter((n) => this.deps.channels.get(n)?.checkDelivery);
    if (checkable.length === 0) return outcome;
    const rows = await this.deps.dataSource.getRepository(OutboundMessage).find({
      where: {
        status: 'sent',
        deliveryCheckedAt: IsNull(),
        sentAt: Between(new Date(now.getTime() - DELIVERY_CHECK_WINDOW_MS), new Date(now.getTime() - DELIVERY_CHECK_DELAY_MS)),
        channel: In(checkable),
      },
      order: { id: 'ASC' },
      take: 100,
    });
    for (const row of rows) {
      const channel = this.deps.channels.get(row.channel);
      const receipt = row.receipt as SendReceipt | null;
      if (!channel?.checkDelivery || !receipt || isCardUpdate(row.payload) || !(receipt.messageId || receipt.outTrackId)) {
        await this.deps.dataSource.getRepository(OutboundMessage).update({ id: row.id }, { deliveryCheckedAt: now });
        continue;
      }
      try {
        const report = await channel.checkDelivery(receipt, [row.address]);
        outcome.checked++;
        if (report.dropped.includes(row.address)) {
          outcome.dropped++;
          const dailyCap = report.dropCodes[row.address] === '143105';
          await this.deps.dataSource.getRepository(OutboundMessage).update(
            { id: row.id, status: 'sent' },
            {
              status: 'pending',
              deliveryCheckedAt: null,
              sentAt: null,
              lastError: `dropped by ${row.channel} after acceptance (${report.dropCodes[row.address] ?? 'flow control'})`,
              payload: markResend(row.payload as RenderedMessage, now) as never,
              nextAttemptAt: new Date(now.getTime() + (dailyCap ? 86_400_000 : 60_000)),
            },
          );
        } else if (report.failed.includes(row.address)) {
          outcome.failed++;
          await this.fail(row, row.attempts, new ChannelError('unknown_recipient', `${row.channel} could not deliver to the recipient`, false), 'sent');
        } else {
          await this.deps.dataSource.getRepository(OutboundMessage).update({ id: row.id }, { deliveryCheckedAt: now });
        }
      } catch (err) {
        // The check itself failed (platform busy): it is asked again on the next sweep.
        this.deps.log.warn({ outboxId: row.id, err: (err as Error).message }, 'delivery check failed');
      }
    }
    return outcome;
  }

  /** Puts failed rows back in the queue (admin "retry"). */
  async retry(ids: number[]): Promise<number> {
    if (ids.length === 0) return 0;
    const result = await this.deps.dataSource
      .getRepository(OutboundMessage)
      .update({ id: In(ids), status: 'failed' }, { status: 'pending', attempts: 0, nextAttemptAt: this.deps.clock.now(), lastError: null });
    return result.affected ?? 0;
  }
}

/**
 * An outbox payload that changes a card already sent (after a tap) instead of sending one:
 * its buttons greyed out with `replaceText`, or — with `message` — the whole card replaced
 * (its answered form, locked on the answers given; `replaceText` is then its grey text).
 */
export interface CardUpdatePayload {
  cardUpdate: { receipt: SendReceipt; responseCode?: string; replaceText: string; message?: RenderedMessage };
}

export function isCardUpdate(payload: unknown): payload is CardUpdatePayload {
  return typeof payload === 'object' && payload !== null && 'cardUpdate' in payload;
}

/** An outbox payload for a WeChat customer, sent through the staff member who owns the contact. */
export interface CustomerLinkPayload {
  customerLink: CustomerLink;
}

export function isCustomerLink(payload: unknown): payload is CustomerLinkPayload {
  return typeof payload === 'object' && payload !== null && 'customerLink' in payload;
}

/** Sends younger than this are not asked about yet: DingTalk sends asynchronously. */
const DELIVERY_CHECK_DELAY_MS = 60_000;
/** DingTalk keeps send results for about a day. */
const DELIVERY_CHECK_WINDOW_MS = 23 * 3_600_000;

/**
 * A resent DingTalk work notice must differ from the dropped one, or DingTalk drops it again
 * as the same content the same day; the mark also tells the reader it is a resend.
 */
function markResend(payload: RenderedMessage, now: Date): RenderedMessage {
  if (payload.dingtalk.kind !== 'notice') return payload;
  const mark = `（补发 ${now.toISOString().slice(11, 16)} UTC）`;
  const msg = JSON.parse(JSON.stringify(payload.dingtalk.msg)) as Record<string, Record<string, string>>;
  const type = String(msg.msgtype);
  if (type === 'text' && msg.text) msg.text.content = `${msg.text.content}\n${mark}`;
  else if (type === 'markdown' && msg.markdown) msg.markdown.text = `${msg.markdown.text}\n\n${mark}`;
  else if (type === 'action_card' && msg.action_card) msg.action_card.markdown = `${msg.action_card.markdown}\n\n${mark}`;
  return { ...payload, dingtalk: { kind: 'notice', msg } };
}

function describe(failure: ChannelError): string {
  return `${failure.reason}${failure.platformCode !== undefined ? ` (${failure.platformCode})` : ''}: ${failure.message}`.slice(0, 1000);
}

function reasonLabel(failure: ChannelError): string {
  switch (failure.reason) {
    case 'unknown_recipient':
      return '对方不在通讯录或应用可见范围内';
    case 'configuration':
      return '应用配置有误';
    default:
      return '平台多次拒绝';
  }
}
