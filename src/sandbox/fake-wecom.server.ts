import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { Clock, systemClock } from '../clock';
import {
  buildCardEventXml,
  buildTextXml,
  EncryptedCallback,
  encryptCallback,
  encryptEchostr,
  WecomCallbackQuery,
} from '../channels/wecom/wecom-callback';
import { WecomConfig } from '../channels/wecom/wecom.config';
import type { WecomMessage } from '../channels/channel';
import { checkWecomMessage, WecomCheckOptions } from '../../cards/components/limits';
import { fakeGroupMsgs, FakeGroupMsgs, GROUPMSG_API } from './fake-wecom-groupmsg';
import { FakeJsapi, fakeJsapi, JSAPI_PATHS } from './fake-wecom-jsapi';

/**
 * A fake WeCom server: a real HTTP server on 127.0.0.1 that speaks the parts of the
 * WeCom API Huifang uses (docs/wecom.md §1–§6, §10) — gettoken, message/send, update_template_card,
 * the group-robot webhook, and the chat sidebar's OAuth and JS-SDK tickets (fake-wecom-jsapi.ts) —
 * with WeCom's validation, limits and silent drops, switchable degradations, and encrypted
 * callbacks built with the real crypto. It fails loudly: a call it does not expect answers
 * 404/405 and is recorded in `unexpected`, so a test can assert it is empty. Where WeCom's
 * behaviour is undocumented the fake picks something strict and says so.
 *
 * Tests start it to check the WeCom channel; the chat sandbox (`sandbox.module.ts`) starts it
 * inside the process in place of WeCom, so the product sends to it exactly as it would to WeCom.
 */

/** A degradation for the next matching request(s); the request is not acted on. */
export type FakeFault =
  | { status: number } // HTTP status with a non-JSON body (a gateway error)
  | { errcode: number } // HTTP 200 with this errcode
  | { drop: true }; // the connection is destroyed without an answer

export interface FakeWecomOptions {
  /** Clock for token expiry, rate windows, response-code lifetime and callback times. */
  clock?: Clock;
  corpId?: string;
  corpSecret?: string;
  agentId?: number;
  /** Callback signing token (`WECOM_TOKEN`). */
  token?: string;
  /** Callback AES key (`WECOM_ENCODING_AES_KEY`), 43 characters. */
  encodingAesKey?: string;
  /** `expires_in` of issued tokens, in seconds (default 7200). */
  tokenExpiresIn?: number;
  /** The directory: userids that exist and are in the app's visible range. */
  users?: Iterable<string>;
  /**
   * Take every userid as a member, enrolling it on first use (default false: unknown userids
   * are refused with 81013 as WeCom does). The sandbox's directory is whoever the product
   * names, as a newcomer's work orders invent residents.
   */
  openDirectory?: boolean;
  /**
   * errcode for a re-used task_id. WeCom's real code is unverified (docs/wecom.md §9, open point 2); 40058
   * ("invalid parameter") is a guess, and it is at least a permanent 4xxxx code.
   */
  taskIdReuseErrcode?: number;
  /**
   * Every answer waits a random time in this range (ms) after the request was acted on, like
   * WeCom's own time to answer (default none). Faults and `slowNext` come on top.
   */
  latencyMs?: { min: number; max: number };
}

/** What a member's chat just got: a message, or a change of a card they had. */
export type FakeDelivery = { kind: 'message'; message: DeliveredMessage } | { kind: 'update'; update: CardUpdate };

/** One app message as one member received it. */
export interface DeliveredMessage {
  msgid: string;
  userId: string;
  at: Date;
  msgtype: string;
  /** The type-specific part: `{content}` or the `template_card` object. */
  content: Record<string, unknown>;
  taskId?: string;
  responseCode?: string;
}

/** One change of a member's copy of a card by `update_template_card`. */
export interface CardUpdate {
  userId: string;
  at: Date;
  taskId: string;
  responseCode: string;
  replaceName?: string;
  templateCard?: Record<string, unknown>;
}

/** A customer-contact message (`add_msg_template`) as the fake recorded it. */
export interface CustomerMessage {
  msgid: string;
  sender: string;
  externalUserId: string;
  at: Date;
  text: string;
  attachments: Record<string, unknown>[];
}

export interface RobotMessage {
  key: string;
  at: Date;
  body: Record<string, unknown>;
}

/** A call the fake did not expect; any entry is a bug in the code under test (or the fake). */
export interface UnexpectedCall {
  method: string;
  path: string;
  why: string;
}

/** A request the fake refused the way WeCom would, with the errcode it answered. */
export interface Rejection {
  path: string;
  errcode: number;
  why: string;
}

export interface FakeWecom {
  readonly baseUrl: string;
  readonly corpId: string;
  readonly corpSecret: string;
  readonly agentId: number;
  /** Callback signing token. */
  readonly token: string;
  readonly encodingAesKey: string;
  readonly clock: Clock;
  /** The directory; fill it in the test. Matched case-insensitively, like WeCom. */
  readonly users: Set<string>;
  /** `expires_in` (s) given to tokens issued from now on. */
  tokenExpiresIn: number;
  /** Number of `gettoken` calls, failed ones included. */
  readonly tokenFetches: number;
  /** Calls the fake did not expect (unknown paths, methods, payload shapes). Assert empty. */
  readonly unexpected: UnexpectedCall[];
  /** Requests refused with an errcode, with the reason. */
  readonly rejections: Rejection[];
  /** URL of the one robot webhook the fake knows (`…/cgi-bin/webhook/send?key=…`). */
  readonly robotUrl: string;
  /** Messages `userId` actually received (silently dropped ones excluded), oldest first. */
  delivered(userId: string): DeliveredMessage[];
  /** Every message delivered to anyone. */
  allDelivered(): DeliveredMessage[];
  /** Messages accepted with errcode 0 but dropped by the per-member limits (30/min, 1000/h). */
  dropped(userId?: string): number;
  /** Sends accepted but not delivered again because `enable_duplicate_check` matched. */
  deduplicated(): number;
  /**
   * Forgets what was delivered, sent and refused, and any pending faults, as if WeCom had
   * just started (issued tokens, the directory and used task_ids stay).
   */
  reset(): void;
  /** Drops pending `failNext`/`slowNext` degradations. */
  clearFaults(): void;
  /** Card updates applied to `userId`'s copies. */
  updates(userId: string): CardUpdate[];
  /**
   * Calls `listener` for every message delivered and card update applied, the moment the fake
   * acts on it (before it answers); returns the function that stops it. For waiting on a
   * delivery without sleeping, and for the sandbox page's live chat.
   */
  watch(listener: (delivery: FakeDelivery) => void): () => void;
  robotMessages(): RobotMessage[];
  /** WeChat customers (external userid → the staff userid who owns the contact). */
  readonly customers: Map<string, string>;
  /** Customer-contact messages queued for their senders to confirm. */
  customerMessages(): CustomerMessage[];
  /** The mass-send tasks behind them: confirm or delete them as the member would (fake-wecom-groupmsg.ts). */
  readonly groupMsgs: FakeGroupMsgs;
  /** How many requests reached `path` (e.g. `/cgi-bin/message/send`), faults included. */
  calls(path: string): number;
  /** The JSON bodies received on `path`, in order. */
  bodies(path: string): Record<string, unknown>[];
  /** The next `n` requests (to `path`, or to any path) fail with `fault`. */
  failNext(n: number, fault: FakeFault, path?: string): void;
  /**
   * The next `n` requests (to `path`, or any) are processed at once but answered `ms` later —
   * like a slow WeCom, a message can be delivered although the caller timed out.
   */
  slowNext(n: number, ms: number, path?: string): void;
  /** Every token issued so far now answers 42001 (expired). */
  expireAllTokens(): void;
  /** `token` (default: every token issued so far) now answers 40014 (invalid). */
  revokeToken(token?: string): void;
  /** The chat sidebar's OAuth codes and JS-SDK tickets (fake-wecom-jsapi.ts). */
  readonly jsapi: FakeJsapi;
  /** A `WecomConfig` pointing at this fake. */
  config(overrides?: Partial<WecomConfig>): WecomConfig;
  /**
   * The encrypted callback WeCom would POST when `userId` taps `eventKey` on card `taskId`
   * (which that user must have received). Carries a fresh single-use `responseCode`.
   */
  cardTap(input: {
    userId: string;
    taskId: string;
    eventKey: string;
    selections?: Record<string, string[]>;
    menu?: boolean;
    createTime?: number;
  }): EncryptedCallback & { responseCode: string; innerXml: string };
  /** The encrypted callback WeCom would POST when `userId` writes `content` to the app. */
  textReply(input: { userId: string; content: string; msgId?: string; createTime?: number }): EncryptedCallback & {
    innerXml: string;
  };
  /** The query of the console's URL-verification GET, whose echo is `echo`. */
  urlVerification(echo?: string): WecomCallbackQuery & { echostr: string };
  /** POSTs `callback` to `url` (our `/callbacks/wecom`) the way WeCom does. */
  postCallback(url: string, callback: EncryptedCallback): Promise<Response>;
  /**
   * Puts back a message delivered before this fake started, its card tappable again: the
   * sandbox rebuilds its chats from the outbox after a restart. No checks and no limits apply;
   * tests have no use for it.
   */
  restore(message: { userId: string; at: Date; msgtype: string; content: Record<string, unknown>; taskId?: string }): void;
  /** Puts back a card update applied before this fake started (see `restore`). */
  restoreUpdate(update: { userId: string; at: Date; taskId: string; replaceName?: string; templateCard?: Record<string, unknown> }): void;
  close(): Promise<void>;
}

const API = {
  gettoken: '/cgi-bin/gettoken',
  send: '/cgi-bin/message/send',
  update: '/cgi-bin/message/update_template_card',
  robot: '/cgi-bin/webhook/send',
  customerMessage: '/cgi-bin/externalcontact/add_msg_template',
  ...GROUPMSG_API,
} as const;

const PER_MEMBER_PER_MINUTE = 30;
const PER_MEMBER_PER_HOUR = 1000;
const ROBOT_PER_MINUTE = 20;
const RESPONSE_CODE_LIFETIME_MS = 72 * 3600_000;
const INTERACTIVE_CARDS = new Set(['button_interaction', 'vote_interaction', 'multiple_interaction']);

interface IssuedToken {
  expiresAt: number;
  state: 'valid' | 'expired' | 'revoked';
}

interface ResponseCodeRecord {
  taskId: string;
  recipients: Set<string>;
  expiresAt: number;
  used: boolean;
}

interface Task {
  cardType: string;
  recipients: Set<string>;
}

interface Pending<T> {
  left: number;
  path?: string;
  what: T;
}

class Refusal {
  constructor(
    readonly errcode: number,
    readonly why: string,
  ) {}
}

/** Starts a fake WeCom on 127.0.0.1 with an OS-chosen port. */
export async function startFakeWecom(options: FakeWecomOptions = {}): Promise<FakeWecom> {
  const clock = options.clock ?? systemClock;
  const corpId = options.corpId ?? `ww${randomBytes(8).toString('hex')}`;
  const corpSecret = options.corpSecret ?? randomBytes(24).toString('base64url');
  const agentId = options.agentId ?? 1000002;
  const token = options.token ?? randomAlnum(16);
  const encodingAesKey = options.encodingAesKey ?? randomAlnum(43);
  const robotKey = randomBytes(16).toString('hex');
  const taskIdReuseErrcode = options.taskIdReuseErrcode ?? 40058;
  const recentBodies = new Map<string, { at: number; msgid: string; responseCode?: string }>();
  let deduplicated = 0;
  const keys = { token, encodingAesKey, corpId };

  const users = new Set<string>(options.users ?? []);
  const tokens = new Map<string, IssuedToken>();
  const delivered: DeliveredMessage[] = [];
  const deliveryTimes = new Map<string, number[]>();
  const droppedBy = new Map<string, number>();
  const updates: CardUpdate[] = [];
  const robotMessages: RobotMessage[] = [];
  const customers = new Map<string, string>();
  const customerMessages: CustomerMessage[] = [];
  const robotTimes: number[] = [];
  const tasks = new Map<string, Task>();
  const responseCodes = new Map<string, ResponseCodeRecord>();
  const callCounts = new Map<string, number>();
  const bodies = new Map<string, Record<string, unknown>[]>();
  const unexpected: UnexpectedCall[] = [];
  const rejections: Rejection[] = [];
  const faults: Pending<FakeFault>[] = [];
  const slows: Pending<number>[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const watchers = new Set<(delivery: FakeDelivery) => void>();
  const announce = (delivery: FakeDelivery) => {
    for (const watcher of watchers) watcher(delivery);
  };
  let tokenFetches = 0;
  let msgSeq = 0;
  const groupMsgs = fakeGroupMsgs({
    clock,
    customers,
    isMember: (userid) => member(userid) !== undefined,
    refuse: (errcode, why) => {
      throw new Refusal(errcode, why);
    },
  });

  const now = () => clock.now().getTime();

  /**
   * The directory entry for `id`, matched case-insensitively (WeCom lower-cases userids).
   * `enrol`: a message is being sent to `id`, so an open directory takes it in.
   */
  function member(id: string, enrol = false): string | undefined {
    const lower = id.toLowerCase();
    for (const user of users) if (user.toLowerCase() === lower) return user;
    if (enrol && options.openDirectory && id !== '') {
      users.add(id);
      return id;
    }
    return undefined;
  }

  function take<T>(queue: Pending<T>[], path: string): T | undefined {
    const entry = queue.find((p) => p.path === undefined || p.path === path);
    if (!entry) return undefined;
    entry.left -= 1;
    if (entry.left <= 0) queue.splice(queue.indexOf(entry), 1);
    return entry.what;
  }

  function checkToken(url: URL): void {
    const value = url.searchParams.get('access_token');
    if (!value) throw new Refusal(41001, 'access_token missing from the query string');
    const issued = tokens.get(value);
    if (!issued || issued.state === 'revoked') throw new Refusal(40014, 'invalid access_token');
    if (issued.state === 'expired' || now() >= issued.expiresAt) throw new Refusal(42001, 'access_token expired');
  }

  function checkAgent(body: Record<string, unknown>): void {
    if (typeof body.agentid !== 'number' || !Number.isInteger(body.agentid)) {
      throw new Refusal(40056, 'agentid must be an integer');
    }
    if (body.agentid !== agentId) throw new Refusal(40056, 'agentid is not this app');
  }

  const jsapi = fakeJsapi({
    now,
    checkToken,
    member: (id) => member(id),
    refuse: (errcode, why) => {
      throw new Refusal(errcode, why);
    },
    ticketExpiresIn: () => fake.tokenExpiresIn,
  });
  const jsapiPaths = new Set<string>(Object.values(JSAPI_PATHS));

  // ---------------------------------------------------------------------------------------
  // Endpoints

  function gettoken(url: URL): Record<string, unknown> {
    tokenFetches += 1;
    if (url.searchParams.get('corpid') !== corpId) throw new Refusal(40013, 'invalid corpid');
    if (url.searchParams.get('corpsecret') !== corpSecret) throw new Refusal(40001, 'invalid secret');
    // A new token every time: WeCom no longer promises to return the same one (§1).
    const value = randomBytes(48).toString('base64url');
    const expiresIn = fake.tokenExpiresIn;
    tokens.set(value, { expiresAt: now() + expiresIn * 1000, state: 'valid' });
    return { errcode: 0, errmsg: 'ok', access_token: value, expires_in: expiresIn };
  }

  function send(url: URL, body: Record<string, unknown>): Record<string, unknown> {
    checkToken(url);
    checkAgent(body);
    if (nonEmpty(body.toparty) || nonEmpty(body.totag)) {
      unexpected.push({ method: 'POST', path: API.send, why: 'toparty/totag are not modelled by the fake' });
      throw new Refusal(40058, 'toparty/totag not supported by the fake');
    }
    if (typeof body.touser !== 'string' || body.touser === '') throw new Refusal(82001, 'no recipient');
    const requested = body.touser === '@all' ? [...users] : body.touser.split('|');
    if (requested.length > 1000) throw new Refusal(40031, 'more than 1000 userids');
    const msgtype = body.msgtype;
    if (typeof msgtype !== 'string') throw new Refusal(40008, 'msgtype missing');
    const content = body[msgtype];
    if (typeof content !== 'object' || content === null) throw new Refusal(40058, `${msgtype} object missing`);
    // enable_duplicate_check: the same request JSON within the interval is accepted and not
    // delivered again (doc 90236). Whether WeCom checks this before the task_id rule is
    // unverified; the fake checks it first, as a resend after a lost answer needs.
    const bodyKey = JSON.stringify(body);
    if (body.enable_duplicate_check === 1) {
      const interval = Math.min(Number(body.duplicate_check_interval ?? 1800), 14400) * 1000;
      const seen = recentBodies.get(bodyKey);
      if (seen && now() - seen.at < interval) {
        deduplicated += 1;
        return { errcode: 0, errmsg: 'ok', invaliduser: '', invalidparty: '', invalidtag: '', unlicenseduser: '', msgid: seen.msgid, ...(seen.responseCode ? { response_code: seen.responseCode } : {}) };
      }
    }
    let interactive = false;
    let taskId: string | undefined;
    if (msgtype === 'text' || msgtype === 'markdown') {
      checkMessage({ msgtype, [msgtype]: content } as WecomMessage, { via: 'app' });
    } else if (msgtype === 'template_card') {
      const card = content as Record<string, unknown>;
      checkMessage({ msgtype, template_card: card } as WecomMessage, { via: 'app', use: 'send' });
      interactive = INTERACTIVE_CARDS.has(card.card_type as string) || card.action_menu !== undefined;
      taskId = typeof card.task_id === 'string' ? card.task_id : undefined;
      if (taskId !== undefined && tasks.has(taskId)) {
        // Unique per app, forever as far as anyone knows (§2.4); the real errcode is unverified.
        throw new Refusal(taskIdReuseErrcode, 'task_id already used by this app');
      }
    } else {
      unexpected.push({ method: 'POST', path: API.send, why: `msgtype ${msgtype} is not one Huifang sends` });
      throw new Refusal(40008, `msgtype ${msgtype} not modelled by the fake`);
    }

    const valid: string[] = [];
    const invalid: string[] = [];
    for (const id of requested) {
      const user = member(id, true);
      if (user && !valid.includes(user)) valid.push(user);
      if (!user) invalid.push(id.toLowerCase());
    }
    if (valid.length === 0) throw new Refusal(81013, 'every recipient is invalid');

    const msgid = `fake_msg_${++msgSeq}_${randomBytes(6).toString('hex')}`;
    const responseCode = interactive ? `rc_${randomBytes(12).toString('hex')}` : undefined;
    const at = now();
    const reached = new Set<string>();
    for (const user of valid) {
      if (!withinMemberLimits(user, at)) {
        // WeCom accepts the call and drops the excess without a word (§5).
        droppedBy.set(user, (droppedBy.get(user) ?? 0) + 1);
        continue;
      }
      reached.add(user);
      const message: DeliveredMessage = { msgid, userId: user, at: new Date(at), msgtype, content: content as Record<string, unknown>, taskId, responseCode };
      delivered.push(message);
    }
    if (taskId !== undefined) {
      tasks.set(taskId, { cardType: (content as { card_type: string }).card_type, recipients: reached });
    }
    recentBodies.set(bodyKey, { at, msgid, responseCode });
    if (responseCode && taskId) {
      responseCodes.set(responseCode, { taskId, recipients: reached, expiresAt: at + RESPONSE_CODE_LIFETIME_MS, used: false });
    }
    // Watchers hear of it once the card can be tapped.
    for (const message of delivered.slice(-reached.size)) announce({ kind: 'message', message });
    return {
      errcode: 0,
      errmsg: 'ok',
      invaliduser: invalid.join('|'),
      invalidparty: '',
      invalidtag: '',
      unlicenseduser: '',
      msgid,
      ...(responseCode ? { response_code: responseCode } : {}),
    };
  }

  function withinMemberLimits(user: string, at: number): boolean {
    const times = (deliveryTimes.get(user) ?? []).filter((t) => t > at - 3600_000);
    deliveryTimes.set(user, times);
    const lastMinute = times.filter((t) => t > at - 60_000).length;
    // Sliding windows: stricter than (or equal to) whatever windows WeCom really uses.
    if (lastMinute >= PER_MEMBER_PER_MINUTE || times.length >= PER_MEMBER_PER_HOUR) return false;
    times.push(at);
    return true;
  }

  function update(url: URL, body: Record<string, unknown>): Record<string, unknown> {
    checkToken(url);
    checkAgent(body);
    const code = body.response_code;
    if (typeof code !== 'string' || code === '') throw new Refusal(40058, 'response_code missing');
    const record = responseCodes.get(code);
    if (!record || record.used || now() >= record.expiresAt) {
      throw new Refusal(60140, 'response_code invalid, used or expired');
    }
    const task = tasks.get(record.taskId)!;
    const hasButton = body.button !== undefined;
    const hasCard = body.template_card !== undefined;
    if (hasButton === hasCard) throw new Refusal(40058, 'exactly one of button and template_card');
    let replaceName: string | undefined;
    let templateCard: Record<string, unknown> | undefined;
    if (hasButton) {
      replaceName = (body.button as { replace_name?: unknown }).replace_name as string;
      if (typeof replaceName !== 'string' || replaceName === '') throw new Refusal(40058, 'button.replace_name missing');
      if (!INTERACTIVE_CARDS.has(task.cardType)) throw new Refusal(40058, 'button update needs an interactive card');
    } else {
      templateCard = body.template_card as Record<string, unknown>;
      if (typeof templateCard !== 'object' || templateCard === null) throw new Refusal(40058, 'template_card not an object');
      if ('task_id' in templateCard) throw new Refusal(40058, 'a replacement template_card has no task_id');
      checkMessage({ msgtype: 'template_card', template_card: templateCard } as WecomMessage, { use: 'update' });
    }
    let targets: string[];
    const invaliduser: string[] = [];
    if (body.atall === 1) {
      targets = [...record.recipients];
    } else {
      if (!Array.isArray(body.userids) || body.userids.length === 0) throw new Refusal(40058, 'userids missing');
      if (body.userids.length > 1000) throw new Refusal(40058, 'more than 1000 userids');
      targets = [];
      for (const id of body.userids as unknown[]) {
        const user = typeof id === 'string' ? member(id) : undefined;
        if (user && record.recipients.has(user)) targets.push(user);
        else invaliduser.push(String(id).toLowerCase());
      }
    }
    record.used = true;
    const at = new Date(now());
    for (const userId of targets) {
      const applied: CardUpdate = { userId, at, taskId: record.taskId, responseCode: code, replaceName, templateCard };
      updates.push(applied);
      announce({ kind: 'update', update: applied });
    }
    return { errcode: 0, errmsg: 'ok', invaliduser };
  }

  function robot(url: URL, body: Record<string, unknown>): Record<string, unknown> {
    const key = url.searchParams.get('key');
    if (key !== robotKey) throw new Refusal(93000, 'invalid webhook key');
    const at = now();
    const recent = robotTimes.filter((t) => t > at - 60_000);
    robotTimes.splice(0, robotTimes.length, ...recent);
    // 20/min per webhook; 45009 is the commonly reported code (unverified, §6).
    if (recent.length >= ROBOT_PER_MINUTE) throw new Refusal(45009, 'robot limit: 20 messages per minute');
    const msgtype = body.msgtype;
    if (typeof msgtype !== 'string') throw new Refusal(40008, 'msgtype missing');
    const content = body[msgtype];
    if (typeof content !== 'object' || content === null) throw new Refusal(40058, `${msgtype} object missing`);
    if (msgtype === 'text' || msgtype === 'markdown' || msgtype === 'template_card') {
      checkMessage({ msgtype, [msgtype]: content } as WecomMessage, { via: 'robot' });
    } else if (msgtype === 'markdown_v2') {
      // markdown_v2 has markdown's limits for the robot (wecom notes §6).
      checkMessage({ msgtype: 'markdown', markdown: content } as WecomMessage, { via: 'robot' });
    } else if (msgtype !== 'news') {
      unexpected.push({ method: 'POST', path: API.robot, why: `robot msgtype ${msgtype} not modelled` });
      throw new Refusal(40008, `msgtype ${msgtype} not modelled by the fake`);
    }
    robotTimes.push(at);
    robotMessages.push({ key, at: new Date(at), body });
    return { errcode: 0, errmsg: 'ok' };
  }

  /**
   * `externalcontact/add_msg_template` (docs/wecom.md §7): a customer-contact message the sender
   * confirms in WeCom. The fake knows customers through `customers` (external id → owning
   * staff userid); one not owned by the sender comes back in `fail_list`.
   */
  function customerMessage(url: URL, body: Record<string, unknown>): Record<string, unknown> {
    checkToken(url);
    if (body.chat_type !== 'single') throw new Refusal(40058, 'chat_type must be single');
    const sender = typeof body.sender === 'string' ? member(body.sender) : undefined;
    if (!sender) throw new Refusal(60111, 'sender is not a member');
    const ids = Array.isArray(body.external_userid) ? (body.external_userid as unknown[]).map(String) : [];
    if (ids.length === 0) throw new Refusal(40058, 'external_userid missing');
    const attachments = Array.isArray(body.attachments) ? (body.attachments as Record<string, unknown>[]) : [];
    if (attachments.length > 9 || attachments.some((a) => a.msgtype !== 'link' || typeof (a.link as Record<string, unknown>)?.url !== 'string')) {
      unexpected.push({ method: 'POST', path: API.customerMessage, why: 'only link attachments are modelled' });
      throw new Refusal(40058, 'bad attachments');
    }
    const failList = ids.filter((id) => customers.get(id) !== sender);
    const msgid = `fake_cm_${++msgSeq}`;
    if (failList.length < ids.length) groupMsgs.created({ msgid, sender, externalUserIds: ids.filter((i) => !failList.includes(i)) });
    for (const id of ids.filter((i) => !failList.includes(i))) {
      customerMessages.push({ msgid, sender, externalUserId: id, at: new Date(now()), text: String((body.text as { content?: string })?.content ?? ''), attachments });
    }
    return { errcode: 0, errmsg: 'ok', fail_list: failList, msgid };
  }

  // ---------------------------------------------------------------------------------------
  // HTTP plumbing

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const path = url.pathname;
    callCounts.set(path, (callCounts.get(path) ?? 0) + 1);
    const expectedMethod = (
      {
        [API.gettoken]: 'GET',
        [API.send]: 'POST',
        [API.update]: 'POST',
        [API.robot]: 'POST',
        [API.customerMessage]: 'POST',
        [API.sendResult]: 'POST',
        [API.remind]: 'POST',
      } as Record<string, string>
    )[path] ?? (jsapiPaths.has(path) ? 'GET' : undefined);
    if (!expectedMethod) {
      unexpected.push({ method: req.method ?? '?', path, why: 'unknown path' });
      return answer(res, 404, { error: `fake WeCom does not serve ${path}` });
    }
    if (req.method !== expectedMethod) {
      unexpected.push({ method: req.method ?? '?', path, why: `expected ${expectedMethod}` });
      return answer(res, 405, { error: `${path} expects ${expectedMethod}` });
    }
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    if (expectedMethod === 'POST') {
      try {
        const parsed: unknown = JSON.parse(raw);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Record<string, unknown>;
      } catch {
        unexpected.push({ method: 'POST', path, why: 'body is not a JSON object' });
        return answer(res, 200, { errcode: 47001, errmsg: 'data format error' });
      }
      bodies.set(path, [...(bodies.get(path) ?? []), body]);
    }

    const fault = take(faults, path);
    if (fault) {
      if ('drop' in fault) {
        req.socket.destroy();
        return;
      }
      if ('status' in fault) return answer(res, fault.status, `<html><body>${fault.status} fake gateway</body></html>`);
      return answer(res, 200, { errcode: fault.errcode, errmsg: `fake fault, hint: [fake_${fault.errcode}]` });
    }

    let result: Record<string, unknown>;
    try {
      if (path === API.gettoken) result = gettoken(url);
      else if (path === API.send) result = send(url, body);
      else if (path === API.update) result = update(url, body);
      else if (path === API.customerMessage) result = customerMessage(url, body);
      else if (path === API.sendResult) result = (checkToken(url), groupMsgs.sendResult(body));
      else if (path === API.remind) result = (checkToken(url), groupMsgs.remind(body));
      else if (jsapiPaths.has(path)) result = jsapi.handle(path, url);
      else result = robot(url, body);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      rejections.push({ path, errcode: error.errcode, why: error.why });
      result = { errcode: error.errcode, errmsg: `${error.why}, hint: [fake_${error.errcode}]` };
    }
    const latency = options.latencyMs ? options.latencyMs.min + Math.random() * (options.latencyMs.max - options.latencyMs.min) : 0;
    const delay = (take(slows, path) ?? 0) + latency;
    if (delay > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          timers.delete(timer);
          resolve();
        }, delay);
        timers.add(timer);
      });
    }
    answer(res, 200, result);
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      unexpected.push({ method: req.method ?? '?', path: req.url ?? '?', why: `fake crashed: ${String(error)}` });
      if (!res.headersSent) answer(res, 500, { error: 'fake WeCom crashed' });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeWecom = {
    baseUrl,
    corpId,
    corpSecret,
    agentId,
    token,
    encodingAesKey,
    clock,
    users,
    tokenExpiresIn: options.tokenExpiresIn ?? 7200,
    get tokenFetches() {
      return tokenFetches;
    },
    unexpected,
    rejections,
    robotUrl: `${baseUrl}${API.robot}?key=${robotKey}`,
    delivered: (userId) => {
      const user = member(userId) ?? userId;
      return delivered.filter((m) => m.userId === user);
    },
    allDelivered: () => [...delivered],
    deduplicated: () => deduplicated,
    clearFaults: () => {
      faults.length = 0;
      slows.length = 0;
    },
    reset: () => {
      delivered.length = 0;
      customerMessages.length = 0;
      groupMsgs.clear();
      deliveryTimes.clear();
      droppedBy.clear();
      updates.length = 0;
      robotMessages.length = 0;
      robotTimes.length = 0;
      recentBodies.clear();
      deduplicated = 0;
      callCounts.clear();
      bodies.clear();
      unexpected.length = 0;
      rejections.length = 0;
      faults.length = 0;
      slows.length = 0;
    },
    dropped: (userId) =>
      userId === undefined
        ? [...droppedBy.values()].reduce((a, b) => a + b, 0)
        : (droppedBy.get(member(userId) ?? userId) ?? 0),
    updates: (userId) => {
      const user = member(userId) ?? userId;
      return updates.filter((u) => u.userId === user);
    },
    watch: (listener) => {
      watchers.add(listener);
      return () => watchers.delete(listener);
    },
    robotMessages: () => [...robotMessages],
    customers,
    customerMessages: () => [...customerMessages],
    groupMsgs,
    calls: (path) => callCounts.get(path) ?? 0,
    bodies: (path) => [...(bodies.get(path) ?? [])],
    failNext: (n, fault, path) => {
      faults.push({ left: n, path, what: fault });
    },
    slowNext: (n, ms, path) => {
      slows.push({ left: n, path, what: ms });
    },
    expireAllTokens: () => {
      for (const issued of tokens.values()) if (issued.state === 'valid') issued.state = 'expired';
    },
    revokeToken: (value) => {
      for (const [key, issued] of tokens) if (value === undefined || key === value) issued.state = 'revoked';
    },
    jsapi: jsapi.api,
    config: (overrides = {}) => ({ corpId, corpSecret, agentId, token, encodingAesKey, apiBase: baseUrl, ...overrides }),
    cardTap: (input) => {
      const task = tasks.get(input.taskId);
      const user = member(input.userId);
      if (!task || !user || !task.recipients.has(user)) {
        throw new Error(`fake WeCom: ${input.userId} never received card ${input.taskId}, so cannot tap it`);
      }
      // Each tap carries its own single-use code, good for updating the tapping user's copy.
      const responseCode = `rc_${randomBytes(12).toString('hex')}`;
      responseCodes.set(responseCode, {
        taskId: input.taskId,
        recipients: new Set([user]),
        expiresAt: now() + RESPONSE_CODE_LIFETIME_MS,
        used: false,
      });
      const createTime = input.createTime ?? Math.floor(now() / 1000);
      const innerXml = buildCardEventXml({
        corpId,
        fromUser: user,
        createTime,
        event: input.menu ? 'template_card_menu_event' : 'template_card_event',
        eventKey: input.eventKey,
        taskId: input.taskId,
        cardType: task.cardType,
        responseCode,
        agentId,
        selections: input.selections,
      });
      return { ...encryptCallback(keys, innerXml, { timestamp: createTime, nonce: randomAlnum(10), agentId }), responseCode, innerXml };
    },
    textReply: (input) => {
      const user = member(input.userId);
      if (!user) throw new Error(`fake WeCom: ${input.userId} is not in the directory`);
      const createTime = input.createTime ?? Math.floor(now() / 1000);
      const msgId = input.msgId ?? `${BigInt(createTime) * 1_000_000_000n + BigInt(++msgSeq)}`;
      const innerXml = buildTextXml({ corpId, fromUser: user, createTime, content: input.content, msgId, agentId });
      return { ...encryptCallback(keys, innerXml, { timestamp: createTime, nonce: randomAlnum(10), agentId }), innerXml };
    },
    urlVerification: (echo = randomBytes(8).readBigUInt64BE().toString()) =>
      encryptEchostr(keys, echo, { timestamp: Math.floor(now() / 1000), nonce: randomAlnum(10) }),
    postCallback: (url, callback) =>
      fetch(`${url}?${new URLSearchParams({ ...callback.query })}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/xml' },
        body: callback.body,
      }),
    restore: (message) => {
      const user = member(message.userId) ?? (users.add(message.userId), message.userId);
      delivered.push({
        msgid: `fake_restored_${++msgSeq}`,
        userId: user,
        at: new Date(message.at),
        msgtype: message.msgtype,
        content: message.content,
        taskId: message.taskId,
      });
      if (message.taskId !== undefined) {
        const task = tasks.get(message.taskId) ?? { cardType: String(message.content.card_type), recipients: new Set<string>() };
        task.recipients.add(user);
        tasks.set(message.taskId, task);
      }
    },
    restoreUpdate: (update) => {
      updates.push({ ...update, userId: member(update.userId) ?? update.userId, at: new Date(update.at), responseCode: 'restored' });
    },
    close: async () => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return fake;
}

// -----------------------------------------------------------------------------------------
// WeCom's validation rules: the same validator every card is written against
// (cards/components/limits.ts), so the fake and the cards cannot drift apart.

/** Refuses a message the way WeCom would: the first problem, with WeCom's errcode for it. */
function checkMessage(message: WecomMessage, options: WecomCheckOptions): void {
  const [problem] = checkWecomMessage(message, options).errors;
  if (problem !== undefined) throw new Refusal(errcodeOf(problem), problem);
}

function errcodeOf(problem: string): number {
  if (problem.startsWith('task_id')) return 42014; // invalid task_id (doc 90236)
  if (/^(text|markdown)\.content is required/.test(problem)) return 44004; // empty content
  if (/^(text|markdown)\.content is \d+ bytes/.test(problem)) return 45002; // content too large
  return 40058; // invalid parameter
}

function nonEmpty(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '';
}

function randomAlnum(length: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from(randomBytes(length), (b) => alphabet[b % alphabet.length]).join('');
}

function answer(res: ServerResponse, status: number, body: unknown): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': typeof body === 'string' ? 'text/html; charset=utf-8' : 'application/json; charset=utf-8',
  });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
