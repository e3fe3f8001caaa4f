import { Clock } from '../clock';

/**
 * The fake WeCom's customer-contact mass-send tasks (企业群发, docs/wecom.md §7.1): a task made
 * by `add_msg_template` waits until its member confirms it in 群发助手 (`confirm`) or deletes
 * it (`deleteTask`); `get_groupmsg_send_result` tells each customer's status (0 not sent,
 * 1 sent, 2 not a friend, 3 already received their mass messages: the monthly cap), and
 * `remind_groupmsg_send` re-notifies the member, at most 3 times in 24 h. Where WeCom's
 * errcodes are unverified the fake takes the ones src/wechat/groupmsg-codes.ts expects, or
 * the one given in its options.
 */
export interface FakeGroupMsgTask {
  msgid: string;
  sender: string;
  externalUserIds: string[];
  createdAt: Date;
  state: 'pending' | 'confirmed' | 'deleted';
  /** Per customer: 0 not sent, 1 sent, 2 not a friend, 3 capped. */
  status: Map<string, number>;
  sentAt: Date | null;
  reminders: Date[];
}

export interface FakeGroupMsgs {
  /** Every task made, oldest first. */
  tasks(): FakeGroupMsgTask[];
  /** The member confirms the task now: each customer gets it, unless no longer a friend or capped. */
  confirm(msgid: string): FakeGroupMsgTask;
  /** The member deletes the task in the client. */
  deleteTask(msgid: string): void;
  /** Mass messages a customer may receive per calendar month (UTC+8); default the month's length. */
  capPerMonth: number | null;
  /** How many mass messages a customer received in the month of `at`. */
  received(externalUserId: string, at: Date): number;
  /** Forgets every task (the fake's `reset`). */
  clear(): void;
}

/** Refuses a request with WeCom's errcode (the fake's own Refusal). */
export type Refuse = (errcode: number, why: string) => never;

export const GROUPMSG_API = {
  sendResult: '/cgi-bin/externalcontact/get_groupmsg_send_result',
  remind: '/cgi-bin/externalcontact/remind_groupmsg_send',
} as const;

const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

export function fakeGroupMsgs(deps: {
  clock: Clock;
  refuse: Refuse;
  /** The directory (is the sender still a member?). */
  isMember: (userid: string) => boolean;
  /** Whose customer each external id is. */
  customers: Map<string, string>;
  /** errcode for a task that is gone (deleted, unknown msgid); WeCom's is unverified. */
  taskGoneErrcode?: number;
  /** errcode for a 4th reminder within 24 h; WeCom's is unverified. */
  remindLimitErrcode?: number;
}): FakeGroupMsgs & {
  created(task: { msgid: string; sender: string; externalUserIds: string[] }): void;
  sendResult(body: Record<string, unknown>): Record<string, unknown>;
  remind(body: Record<string, unknown>): Record<string, unknown>;
} {
  const tasks = new Map<string, FakeGroupMsgTask>();
  const gone = deps.taskGoneErrcode ?? 41063;
  const month = (at: Date) => new Date(at.getTime() + SHANGHAI_MS).toISOString().slice(0, 7);
  const received = (id: string, at: Date) =>
    [...tasks.values()].filter((t) => t.status.get(id) === 1 && t.sentAt && month(t.sentAt) === month(at)).length;
  const task = (body: Record<string, unknown>): FakeGroupMsgTask => {
    const found = typeof body.msgid === 'string' ? tasks.get(body.msgid) : undefined;
    if (!found || found.state === 'deleted') return deps.refuse(gone, 'no such mass-send task (deleted or unknown msgid)');
    return found;
  };
  const groupMsgs = {
    capPerMonth: null as number | null,
    tasks: () => [...tasks.values()],
    clear: () => tasks.clear(),
    received,
    created(t: { msgid: string; sender: string; externalUserIds: string[] }) {
      const status = new Map(t.externalUserIds.map((id) => [id, 0]));
      tasks.set(t.msgid, { ...t, createdAt: deps.clock.now(), state: 'pending', status, sentAt: null, reminders: [] });
    },
    confirm(msgid: string): FakeGroupMsgTask {
      const t = tasks.get(msgid);
      if (!t || t.state !== 'pending') throw new Error(`fake WeCom: task ${msgid} is not waiting for its member`);
      const now = deps.clock.now();
      const days = new Date(Date.UTC(Number(month(now).slice(0, 4)), Number(month(now).slice(5, 7)), 0)).getUTCDate();
      const cap = groupMsgs.capPerMonth ?? days;
      for (const id of t.externalUserIds) {
        if (deps.customers.get(id) !== t.sender) t.status.set(id, 2);
        else if (received(id, now) >= cap) t.status.set(id, 3);
        else t.status.set(id, 1);
      }
      t.state = 'confirmed';
      t.sentAt = now;
      return t;
    },
    deleteTask(msgid: string) {
      const t = tasks.get(msgid);
      if (t) t.state = 'deleted';
    },
    sendResult(body: Record<string, unknown>): Record<string, unknown> {
      const t = task(body);
      if (typeof body.userid === 'string' && body.userid !== t.sender) return { errcode: 0, errmsg: 'ok', send_list: [], next_cursor: '' };
      if (!deps.isMember(t.sender)) return deps.refuse(60111, 'the task\'s member is no longer in the directory');
      const sendTime = t.sentAt ? Math.floor(t.sentAt.getTime() / 1000) : undefined;
      const sendList = [...t.status].map(([id, status]) => ({ external_userid: id, userid: t.sender, status, ...(status === 1 ? { send_time: sendTime } : {}) }));
      return { errcode: 0, errmsg: 'ok', send_list: sendList, next_cursor: '' };
    },
    remind(body: Record<string, unknown>): Record<string, unknown> {
      const t = task(body);
      if (!deps.isMember(t.sender)) return deps.refuse(60111, 'the task\'s member is no longer in the directory');
      const now = deps.clock.now();
      if (t.reminders.filter((r) => now.getTime() - r.getTime() < DAY_MS).length >= 3) {
        return deps.refuse(deps.remindLimitErrcode ?? 41064, 'a task is reminded at most 3 times in 24 h');
      }
      t.reminders.push(now);
      return { errcode: 0, errmsg: 'ok' };
    },
  };
  return groupMsgs;
}
