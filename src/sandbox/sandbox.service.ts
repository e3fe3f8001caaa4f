import { randomBytes } from 'node:crypto';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { z } from 'zod';
import { OutboundMessage, Resident, StaffMember, WorkOrder } from '../../entities';
import { Clock } from '../clock';
import { DomainError, NotFoundError } from '../errors';
import { Logger } from '../log';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';
import { VisitQueries } from '../visits/visit-query.service';
import { ChatMessage, chatView } from './chat-view';
import { DEMO_DEPARTMENT, DEMO_OFFICE_ID } from './demo-office';
import { DueJobsResult, runDueJobs } from './due-jobs';
import { FakeWecom } from './fake-wecom.server';
import { SandboxHost } from './sandbox-host';
import { SandboxOffice, SandboxPerson, sandboxPeople } from './sandbox-people';
import { postWorkOrderEvent, WebhookAnswer } from './work-order-webhook.client';

const userId = z.string().min(1).max(64);

/** The sandbox form's work order: what a newcomer chooses; the rest is filled in. */
export const sandboxWorkOrderSchema = z.object({
  officeId: z.string().min(1).max(64).default(DEMO_OFFICE_ID),
  kind: z.enum(WORK_ORDER_KINDS as [WorkOrderKind, ...WorkOrderKind[]]),
  severity: z.enum(['major', 'general']).default('general'),
  title: z.string().trim().min(1, 'must not be empty').max(200),
  unitId: z.string().trim().max(64).optional(),
  residentId: z.string().min(1).max(64),
});

/** A tap on a card: who, which card, which button, and the choices made on it. */
export const sandboxTapSchema = z.object({
  userId,
  taskId: z.string().min(1).max(128),
  eventKey: z.string().min(1).max(1024),
  selections: z.record(z.array(z.string().max(128)).max(20)).optional(),
});

/** A chat message typed as `userId` to the app. */
export const sandboxReplySchema = z.object({ userId, text: z.string().trim().min(1, 'must not be empty').max(2000) });

export interface SandboxPeopleView {
  offices: SandboxOffice[];
  people: (SandboxPerson & { messages: number; lastAt: string | null })[];
}

export interface SandboxChatView {
  userId: string;
  messages: ChatMessage[];
  /** Messages queued for this person and not sent yet (quiet hours, pacing, WeCom's :00/:30 rule). */
  pending: { purpose: string; at: string }[];
  /** Messages to this person the outbox gave up on. */
  failed: number;
}

/** Contract special services in the form: two weeks that end now, so the after-contract visit is due. */
const FORM_CONTRACT_DAYS = 14;

/**
 * What the sandbox page does, on top of the running app: lists people and their chats (from
 * the fake WeCom), lists visits (the admin API's query), and acts the way the outside world
 * would — a signed work-order event, an encrypted card tap or text reply, the due jobs now.
 * Everything travels the app's real paths over HTTP; nothing here writes the database.
 */
export class SandboxService {
  private host: SandboxHost | null = null;
  /** Open live streams of the page, each ended by `endLive` (they never end by themselves). */
  private readonly liveEnds = new Set<() => void>();

  constructor(private readonly deps: { fake: FakeWecom; clock: Clock; log: Logger }) {}

  attach(host: SandboxHost): void {
    this.host = host;
  }

  /**
   * Calls `onDelivery` with the member's userid whenever the fake WeCom delivers a message or
   * changes a card; `onEnd` when the sandbox stops. Returns the function that stops it.
   */
  live(onDelivery: (userId: string) => void, onEnd: () => void): () => void {
    const unwatch = this.deps.fake.watch((d) => onDelivery(d.kind === 'message' ? d.message.userId : d.update.userId));
    const end = () => {
      unwatch();
      this.liveEnds.delete(end);
      onEnd();
    };
    this.liveEnds.add(end);
    return () => {
      unwatch();
      this.liveEnds.delete(end);
    };
  }

  /** Ends every live stream, so the HTTP server can close. */
  endLive(): void {
    for (const end of [...this.liveEnds]) end();
  }

  private get running(): SandboxHost {
    if (!this.host) throw new DomainError('sandbox_starting', 'the sandbox is starting; try again in a moment', 503);
    return this.host;
  }

  async people(): Promise<SandboxPeopleView> {
    const host = this.running;
    const { offices, people } = await sandboxPeople(host.dataSource, host.config.defaultTimeZone);
    return {
      offices,
      people: people.map((person) => {
        const delivered = this.deps.fake.delivered(person.userId);
        return { ...person, messages: delivered.length, lastAt: delivered.at(-1)?.at.toISOString() ?? null };
      }),
    };
  }

  async chat(user: string): Promise<SandboxChatView> {
    const id = userId.parse(user);
    const rows = await this.running.dataSource.getRepository(OutboundMessage).find({
      select: { id: true, purpose: true, nextAttemptAt: true, status: true },
      where: { channel: 'wecom', address: id, status: In(['pending', 'failed']) },
      order: { nextAttemptAt: 'ASC' },
      take: 100,
    });
    return {
      userId: id,
      messages: chatView(this.deps.fake.delivered(id), this.deps.fake.updates(id)),
      pending: rows.filter((r) => r.status === 'pending').map((r) => ({ purpose: r.purpose, at: r.nextAttemptAt.toISOString() })),
      failed: rows.filter((r) => r.status === 'failed').length,
    };
  }

  /** Every visit, newest first, as `GET /api/visits` lists them, with the work order's title and resident. */
  async visits(): Promise<{ visits: Record<string, unknown>[] }> {
    const host = this.running;
    const queries = new VisitQueries(host.dataSource);
    const all: Awaited<ReturnType<VisitQueries['list']>>['visits'] = [];
    let cursor: string | undefined;
    // Oldest first in pages of 200, as the API pages; the sandbox shows the newest 200.
    for (let page = 0; page < 50; page++) {
      const result = await queries.list({ limit: 200, cursor });
      all.push(...result.visits);
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    const newest = all.reverse().slice(0, 200);
    const orders = newest.length
      ? await host.dataSource.getRepository(WorkOrder).find({ where: { id: In([...new Set(newest.map((v) => v.workOrderId))]) } })
      : [];
    const orderOf = new Map(orders.map((o) => [o.id, o]));
    const residentIds = [...new Set(orders.map((o) => o.residentId).filter((r): r is string => r !== null))];
    const residents = residentIds.length ? await host.dataSource.getRepository(Resident).find({ where: { id: In(residentIds) } }) : [];
    const nameOf = new Map(residents.map((r) => [`${r.officeId}/${r.id}`, r.name]));
    return {
      visits: newest.map((v) => {
        const order = v.workOrderId ? orderOf.get(v.workOrderId) : undefined;
        return {
          ...v,
          title: order?.title ?? null,
          severity: order?.severity ?? null,
          unitId: order?.unitId ?? null,
          residentName: order?.residentId ? (nameOf.get(`${order.officeId}/${order.residentId}`) ?? null) : null,
        };
      }),
    };
  }

  /**
   * A fresh survey link of a visit, as its resident's card carries it (signed, 7 days): to copy
   * and open as the resident would, on this computer or a phone.
   */
  surveyLink(id: number): { url: string } {
    const host = this.running;
    if (!Number.isSafeInteger(id) || id <= 0) throw new NotFoundError(`visit ${id}`);
    return { url: host.links.surveyUrl(host.config.publicBaseUrl, id, this.deps.clock.now()) };
  }

  async visit(id: number) {
    const visit = Number.isSafeInteger(id) && id > 0 ? await new VisitQueries(this.running.dataSource).get(id) : null;
    if (!visit) throw new NotFoundError(`visit ${id}`);
    return visit;
  }

  /**
   * Sends the form's work order as the work-order system would: a `work_order.completed`
   * event completed now, signed with the webhook secret, to our own webhook. Complaints name
   * the office's department head's department; special services a two-week contract ending now.
   */
  async sendWorkOrder(input: z.infer<typeof sandboxWorkOrderSchema>): Promise<WebhookAnswer & { workOrderId: string }> {
    const host = this.running;
    const resident = await host.dataSource.getRepository(Resident).findOneBy({ officeId: input.officeId, id: input.residentId });
    if (!resident) throw new DomainError('unknown_resident', `resident ${input.residentId} is not one of office ${input.officeId}`, 400);
    const now = this.deps.clock.now();
    const iso = now.toISOString();
    const suffix = randomBytes(3).toString('hex').toUpperCase();
    const workOrderId = `WO-SBX-${DateTime.fromJSDate(now, { zone: 'UTC' }).toFormat('yyyyLLdd')}-${suffix}`;
    const department =
      input.kind === 'complaint'
        ? ((await host.dataSource.getRepository(StaffMember).find({ where: { officeId: input.officeId, active: true } })).find(
            (s) => s.roles.includes('dept_head') && s.department,
          )?.department ?? DEMO_DEPARTMENT)
        : null;
    const event = {
      eventId: `sandbox-${now.getTime()}-${suffix}`,
      type: 'work_order.completed',
      occurredAt: iso,
      workOrder: {
        id: workOrderId,
        officeId: input.officeId,
        kind: input.kind,
        severity: input.kind === 'complaint' ? input.severity : null,
        department,
        // Same title, same matter: a second complaint about it counts as a repeat.
        matterKey: input.title.slice(0, 128),
        title: input.title,
        unitId: input.unitId || null,
        resident: {
          id: resident.id,
          name: resident.name,
          phone: resident.phone,
          wecomUserId: resident.wecomUserId,
          wecomExternalUserId: resident.wecomExternalUserId,
          dingtalkUserId: resident.dingtalkUserId,
        },
        completedAt: iso,
        contract:
          input.kind === 'special_service'
            ? { startAt: new Date(now.getTime() - FORM_CONTRACT_DAYS * 86_400_000).toISOString(), endAt: iso }
            : null,
      },
    };
    const answer = await postWorkOrderEvent({ url: host.url, secret: host.webhookSecret, clock: this.deps.clock }, event);
    return { ...answer, workOrderId };
  }

  /** Reminders, resident re-asks and overdue sweeps now, then everything they queued sent. */
  async runJobs(): Promise<DueJobsResult> {
    return runDueJobs(this.running);
  }

  /**
   * `userId` taps `eventKey` on card `taskId` with `selections`: the fake builds the encrypted
   * callback WeCom would send, and it is POSTed to our own `/callbacks/wecom`. Resolves once
   * the work the tap caused is done, and with it what the app sends at once (the next card,
   * the greyed buttons) — not what waits for the schedule.
   */
  async tap(input: z.infer<typeof sandboxTapSchema>): Promise<{ status: number }> {
    const host = this.running;
    let callback;
    try {
      callback = this.deps.fake.cardTap({ userId: input.userId, taskId: input.taskId, eventKey: input.eventKey, selections: input.selections });
    } catch (err) {
      throw new DomainError('not_received', (err as Error).message, 400);
    }
    return this.deliver(host, callback);
  }

  /** `userId` writes `text` to the app (a resident's suggestion, a supervisor's opinion). */
  async reply(input: z.infer<typeof sandboxReplySchema>): Promise<{ status: number }> {
    const host = this.running;
    let callback;
    try {
      callback = this.deps.fake.textReply({ userId: input.userId, content: input.text });
    } catch (err) {
      throw new DomainError('not_in_directory', (err as Error).message, 400);
    }
    return this.deliver(host, callback);
  }

  private async deliver(host: SandboxHost, callback: Parameters<FakeWecom['postCallback']>[1]): Promise<{ status: number }> {
    const res = await this.deps.fake.postCallback(`${host.url}/callbacks/wecom`, callback);
    await res.arrayBuffer();
    if (res.status !== 200) {
      this.deps.log.warn({ status: res.status }, 'sandbox callback refused');
      throw new DomainError('callback_refused', `/callbacks/wecom answered ${res.status}`, 502);
    }
    // The route acknowledges first and works after, sending what the tap caused at once.
    await host.settled();
    return { status: res.status };
  }
}
