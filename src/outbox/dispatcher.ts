import { Between, DataSource, EntityManager, In, IsNull, LessThanOrEqual } from 'typeorm';
import { Office, OutboundMessage } from '../../entities';
import { ChannelError, CustomerLink, RenderedMessage, SendReceipt } from '../channels/channel';
import { ChannelRegistry } from '../channels/channel-registry';
import { OutboxPayload, readPayload } from './outbox-payload';
import { Clock } from '../clock';
import { isMysqlSource } from '../db/data-source';
import { inTransaction } from '../db/transaction';
import { failureReason, ItemFailures } from '../jobs/item-failures';
import { Logger } from '../log';
import { Notifier } from '../visits/notifier';
import { OfficialAccountClient } from '../wechat/official-account.client';
import { APP_CALLS_PER_SECOND, CallRateLimiter, MAX_ATTEMPTS, RECIPIENT_LIMITS, retryDelayMs } from './pacing';

/** Sends a group-robot message (WeCom or DingTalk robot URL); throws ChannelError. */
/** Posts a group-robot message; `bodies` holds one body per platform (src/reports/robot-body.ts). */
export type RobotSender = (url: string, bodies: { wecom: Record<string, unknown>; dingtalk: Record<string, unknown> }) => Promise<void>;

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
      /** The WeChat Official Account, for rows of channel `wechat_mp`. */
      officialAccount?: OfficialAccountClient | null;
      batchSize?: number;
      /** How long a claim holds before another dispatcher may take the row. */
      leaseMs?: number;
      random?: () => number;
    },
  ) {}

  /**
   * One sweep: claim a batch of due rows and send them, one failure never stopping the rest
   * (a row that cannot be processed is listed in `failures` when given, else logged).
   */
  async runOnce(failures?: ItemFailures): Promise<DispatchOutcome> {
    return this.deliverAll(await this.claim(), 'one by one', failures);
  }

  /**
   * Claims rows for this instance inside the transaction that queues them (what a person just
   * caused, see InstantSends), so that no sweep takes them between the commit and `sendNow`.
   * Only rows due now: one deferred (quiet hours) is left to the schedule. The claim is the
   * sweep's own lease: should this process stop before sending, the lease runs out and a
   * sweep sends them.
   */
  async hold(manager: EntityManager, dedupeKeys: string[]): Promise<void> {
    if (dedupeKeys.length === 0) return;
    const now = this.deps.clock.now();
    await manager.update(
      OutboundMessage,
      { dedupeKey: In(dedupeKeys), status: 'pending', nextAttemptAt: LessThanOrEqual(now), claimedBy: IsNull() },
      { claimedBy: this.deps.instanceId, claimedUntil: new Date(now.getTime() + (this.deps.leaseMs ?? 120_000)) },
    );
  }

  /**
   * Sends the rows with these dedupe keys that `hold` claimed for this instance, once their
   * transaction has committed. Delivered as a sweep delivers: the same pacing (a send that would
   * break a person's limit is put back for a sweep), the same retries and failure handling.
   */
  async sendNow(dedupeKeys: string[]): Promise<DispatchOutcome> {
    if (dedupeKeys.length === 0) return this.deliverAll([]);
    const held = await this.deps.dataSource.getRepository(OutboundMessage).find({
      where: { dedupeKey: In(dedupeKeys), status: 'pending', claimedBy: this.deps.instanceId },
      order: { id: 'ASC' },
    });
    // Side by side: a tap's next card and its grey-out are calls to two different APIs, and
    // the person waits for both.
    return this.deliverAll(held, 'together');
  }

  private async deliverAll(rows: OutboundMessage[], pace: 'one by one' | 'together' = 'one by one', failures?: ItemFailures): Promise<DispatchOutcome> {
    const outcome: DispatchOutcome = { claimed: rows.length, sent: 0, retried: 0, failed: 0, paced: 0 };
    const deliverOne = async (row: OutboundMessage) => {
      const result = await this.deliver(row).catch((err: unknown) => {
        if (failures) failures.add({ outboxId: row.id }, err);
        else this.deps.log.error({ outboxId: row.id, err: failureReason(err) }, 'outbox row could not be processed');
        return 'retried' as const;
      });
      outcome[result] += 1;
    };
    if (pace === 'together') await Promise.all(rows.map(deliverOne));
    else for (const row of rows) await deliverOne(row);
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

  private async send(row: OutboundMessage): Promise<SendReceipt | { robot: true } | { updated: true } | { officialAccount: true; messageId: string }> {
    await this.limiter.take(row.channel);
    if (row.channel === 'robot') {
      if (!this.deps.robot) throw new ChannelError('configuration', 'no group robot is configured', false);
      const payload = readPayload(row.payload, row.channel);
      if (payload.kind !== 'robot') throw new ChannelError('configuration', `a ${payload.kind} payload cannot go to a group robot`, false);
      await this.deps.robot(row.address, payload);
      return { robot: true };
    }
    if (!row.address) throw new ChannelError('unknown_recipient', `recipient has no ${row.channel} user id`, false);
    if (row.channel === 'wechat_mp') {
      const payload = readPayload(row.payload, row.channel);
      if (!this.deps.officialAccount) throw new ChannelError('configuration', 'no WeChat Official Account is configured', false);
      if (payload.kind !== 'template_message') throw new ChannelError('configuration', `a ${payload.kind} payload cannot go to the Official Account`, false);
      return { officialAccount: true, messageId: await this.deps.officialAccount.sendTemplate(payload.templateMessage) };
    }
    const channel = this.deps.channels.get(row.channel);
    if (!channel) throw new ChannelError('configuration', `the ${row.channel} channel is not configured`, false);
    const payload = readPayload(row.payload, row.channel);
    if (payload.kind === 'customer_link') {
      if (!channel.sendCustomerLink) throw new ChannelError('configuration', `${row.channel} cannot reach external customers`, false);
      return channel.sendCustomerLink(payload.customerLink);
    }
    if (payload.kind === 'card_update') {
      const { receipt, responseCode, replaceText, message } = payload.cardUpdate;
      await channel.update({ receipt, userIds: [row.address], responseCode }, message ? { message } : { replaceText });
      return { updated: true };
    }
    if (payload.kind !== 'message') throw new ChannelError('configuration', `a ${payload.kind} payload cannot go to ${row.channel}`, false);
    const receipt = await channel.send([row.address], payload);
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
      if (!channel?.checkDelivery || !receipt || readPayload(row.payload, row.channel).kind !== 'message' || !(receipt.messageId || receipt.outTrackId)) {
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
              payload: markResend(readPayload(row.payload, row.channel), now) as never,
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

/** Sends younger than this are not asked about yet: DingTalk sends asynchronously. */
const DELIVERY_CHECK_DELAY_MS = 60_000;
/** DingTalk keeps send results for about a day. */
const DELIVERY_CHECK_WINDOW_MS = 23 * 3_600_000;

/**
 * A resent DingTalk work notice must differ from the dropped one, or DingTalk drops it again
 * as the same content the same day; the mark also tells the reader it is a resend.
 */
function markResend(payload: OutboxPayload, now: Date): OutboxPayload {
  if (payload.kind !== 'message' || payload.dingtalk.kind !== 'notice') return payload;
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
