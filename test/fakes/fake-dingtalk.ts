import { createHash } from 'node:crypto';
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { Clock, systemClock } from '../../src/clock';
import { DingtalkConfig } from '../../src/channels/dingtalk/dingtalk.config';
import { encryptEvent, signCardCallback } from '../../src/channels/dingtalk/dingtalk-callback';
import { robotSign } from '../../src/channels/dingtalk/dingtalk-robot-sign';
import { FakeDingtalkOauth } from './fake-dingtalk-oauth';

/**
 * A fake DingTalk on 127.0.0.1 that speaks the protocol of docs/dingtalk.md, for loopback tests:
 * both hosts (v1.0 and oapi) on one origin, the token endpoints, work notices with their
 * silent flow control, interactive cards, and a custom group robot. It checks what the real
 * platform checks (token, JSON body, limits, signatures), keeps its own clock (inject the
 * test's `ManualClock` for token expiry, days and rate windows), and fails loudly on any call
 * it does not know (HTTP 404, recorded in `unexpected`).
 *
 * Codes marked "fake" below are ours where the notes name no real code.
 */

/** A degradation for the next matching calls. */
export type FakeFailure =
  /** An HTTP error in v1.0 form: `{code, message, requestid}` with this status. */
  | { status: number; code: string }
  /** An oapi error: HTTP 200 `{errcode, errmsg, sub_code?}`. */
  | { errcode: number; sub_code?: string }
  /** Any body (e.g. the anti-abuse `{status:1111, punish:'deny'}`, or `{errcode:'0'}`). */
  | { raw: unknown; status?: number }
  /** The connection is destroyed without an answer. */
  | { reset: true };

export interface FakeDingtalkOptions {
  /** The fake's "now" for token expiry, notice days (Asia/Shanghai) and rate windows. */
  clock?: Clock;
  appKey?: string;
  appSecret?: string;
  agentId?: number;
  corpId?: string;
  /** Event-subscription token and AES key (43 chars). */
  token?: string;
  aesKey?: string;
  /** The one published card template (`param.templateNotExist` for any other). */
  cardTemplateId?: string;
  cardApiSecret?: string;
  /** userIds of the organisation (default u0123, u0456, u0789). */
  users?: string[];
  /** Lifetime of an access token, in seconds (default 7200). */
  expireIn?: number;
  /** Work notices one user can receive per day (default 500). */
  noticeDailyLimit?: number;
  /** The custom group robot: its webhook access_token and `SEC…` secret (null: no signing). */
  robotToken?: string;
  robotSecret?: string | null;
}

/** One card instance as a user sees it. */
export interface FakeCardView {
  outTrackId: string;
  cardTemplateId: string;
  cardParamMap: Record<string, string>;
  /** This user's private data. */
  privateData: Record<string, string>;
  callbackRouteKey?: string;
  callbackType?: string;
}

interface CardInstance {
  outTrackId: string;
  cardTemplateId: string;
  cardParamMap: Record<string, string>;
  privateData: Record<string, Record<string, string>>;
  deliveredTo: string[];
  callbackRouteKey?: string;
  callbackType?: string;
}

interface NoticeTask {
  invalid: string[];
  forbidden: string[];
  forbiddenList: { code: string; count: number; userid: string }[];
  failed: string[];
  delivered: string[];
}

interface Degradation<T> {
  remaining: number;
  what: T;
  path?: string;
}

type Handler = (req: FakeRequest) => Promise<Reply> | Reply;

interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  raw: string;
  json: unknown;
  isJson: boolean;
}

interface Reply {
  status: number;
  body: unknown;
}

const TOKEN_PATHS = new Set(['/v1.0/oauth2/accessToken', '/gettoken']);
const DAY_MS = 86_400_000;
const SHANGHAI_OFFSET_MS = 8 * 3_600_000;
const ROBOT_PER_MINUTE = 20;
const ROBOT_BLOCK_MS = 10 * 60_000;
const ROBOT_MSGTYPES = new Set(['text', 'markdown', 'link', 'actionCard', 'feedCard']);

/** The running fake. */
export class FakeDingtalk {
  readonly appKey: string;
  readonly appSecret: string;
  readonly agentId: number;
  readonly corpId: string;
  readonly token: string;
  readonly aesKey: string;
  readonly cardTemplateId: string;
  readonly cardApiSecret: string;
  readonly users: Set<string>;
  readonly robotToken: string;
  readonly robotSecret: string | null;
  /** Lifetime given to tokens issued from now on, in seconds. */
  expireIn: number;
  noticeDailyLimit: number;
  /** Calls to paths or methods the fake does not know. A test asserts it stays empty. */
  readonly unexpected: { method: string; path: string }[] = [];
  /** Every call, in order (method and path only). */
  readonly calls: { method: string; path: string }[] = [];
  baseUrl = '';

  private readonly clock: Clock;
  private readonly server: Server;
  private readonly sockets = new Set<Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly routes = new Map<string, Handler>();
  private readonly oauth: FakeDingtalkOauth;
  private fetches = 0;
  private tokenSeq = 0;
  private current: { value: string; expiresAt: number } | null = null;
  private readonly validTokens = new Map<string, number>();
  private readonly failures: Degradation<FakeFailure>[] = [];
  private readonly slows: Degradation<number>[] = [];
  private readonly cards = new Map<string, CardInstance>();
  private readonly notices = new Map<string, Record<string, unknown>[]>();
  private readonly noticeDays = new Map<string, { day: number; contents: Set<string>; count: number }>();
  private readonly tasks = new Map<string, NoticeTask>();
  private taskSeq = 700_000_000_000;
  private readonly robotSends: number[] = [];
  private robotBlockedUntil = 0;
  private readonly robotBodies: Record<string, unknown>[] = [];
  private inflight = 0;
  private idleWaiters: (() => void)[] = [];

  constructor(options: FakeDingtalkOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.appKey = options.appKey ?? 'dingfakeappkey0001';
    this.appSecret = options.appSecret ?? 'fake-app-secret-0123456789abcdefghijklmnopqrstuvwxyz0123456789ab';
    this.agentId = options.agentId ?? 3_000_000_001;
    this.corpId = options.corpId ?? 'ding0000fakecorp0000';
    this.token = options.token ?? 'fakeEventToken';
    this.aesKey = options.aesKey ?? 'Yue0EfdN5900c1ce5cf6A152c63DDe1808a60c5ecd7';
    this.cardTemplateId = options.cardTemplateId ?? 'a1b2c3d4-0000-1111-2222-333344445555.schema';
    this.cardApiSecret = options.cardApiSecret ?? 'fake-card-api-secret-0123456789abcdef';
    this.users = new Set(options.users ?? ['u0123', 'u0456', 'u0789']);
    this.expireIn = options.expireIn ?? 7200;
    this.noticeDailyLimit = options.noticeDailyLimit ?? 500;
    this.robotToken = options.robotToken ?? 'fake-robot-webhook-token';
    this.robotSecret = options.robotSecret === undefined ? 'SECfake0123456789robot' : options.robotSecret;

    this.routes.set('POST /v1.0/oauth2/accessToken', (r) => this.accessToken(r));
    this.routes.set('GET /gettoken', (r) => this.gettoken(r));
    this.routes.set('POST /topapi/message/corpconversation/asyncsend_v2', (r) => this.asyncsend(r));
    this.routes.set('POST /topapi/message/corpconversation/getsendresult', (r) => this.getsendresult(r));
    this.routes.set('POST /v1.0/card/instances/createAndDeliver', (r) => this.createAndDeliver(r));
    this.routes.set('PUT /v1.0/card/instances', (r) => this.updateCard(r));
    this.routes.set('POST /robot/send', (r) => this.robotSend(r));
    this.oauth = new FakeDingtalkOauth({ clock: this.clock, appKey: this.appKey, appSecret: this.appSecret, corpId: this.corpId, users: this.users, appTokenValid: (t) => this.tokenValid(t) });
    for (const [route, handler] of this.oauth.routes()) this.routes.set(route, handler);

    this.server = createServer((req, res) => {
      void this.handle(req, res);
    });
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  /** The code DingTalk's login page hands the browser of `userId` (single-use, 5 minutes). */
  authorize(userId: string): string {
    return this.oauth.authorize(userId);
  }

  /** Token-endpoint calls so far (both endpoints, failed ones included). */
  get tokenFetches(): number {
    return this.fetches;
  }

  /** The robot's webhook URL (`/robot/send?access_token=…`), unsigned. */
  get robotWebhookUrl(): string {
    return `${this.baseUrl}/robot/send?access_token=${encodeURIComponent(this.robotToken)}`;
  }

  /** A `DingtalkConfig` pointing both hosts at this fake. */
  config(overrides: Partial<DingtalkConfig> = {}): DingtalkConfig {
    return {
      appKey: this.appKey,
      appSecret: this.appSecret,
      agentId: this.agentId,
      corpId: this.corpId,
      token: this.token,
      aesKey: this.aesKey,
      cardTemplateId: this.cardTemplateId,
      cardRouteKey: 'huifang-test',
      cardApiSecret: this.cardApiSecret,
      apiBase: this.baseUrl,
      oapiBase: this.baseUrl,
      ...overrides,
    };
  }

  /** The cards delivered to `userId`, as that user sees them now. */
  deliveredCards(userId: string): FakeCardView[] {
    return [...this.cards.values()]
      .filter((card) => card.deliveredTo.includes(userId))
      .map((card) => ({
        outTrackId: card.outTrackId,
        cardTemplateId: card.cardTemplateId,
        cardParamMap: { ...card.cardParamMap },
        privateData: { ...(card.privateData[userId] ?? {}) },
        callbackRouteKey: card.callbackRouteKey,
        callbackType: card.callbackType,
      }));
  }

  /** The work notices that actually reached `userId` (dropped ones are not here). */
  deliveredNotices(userId: string): Record<string, unknown>[] {
    return [...(this.notices.get(userId) ?? [])];
  }

  /** Bodies the group robot accepted. */
  robotMessages(): Record<string, unknown>[] {
    return [...this.robotBodies];
  }

  /**
   * The next `n` calls answer `failure` instead of being processed. By default it applies to
   * every path but the token endpoints; `options.path` narrows it to one path (token paths too).
   */
  failNext(n: number, failure: FakeFailure, options: { path?: string } = {}): void {
    this.failures.push({ remaining: n, what: failure, path: options.path });
  }

  /** The next `n` calls (token endpoints excepted unless `path` names one) answer `ms` later. */
  slowNext(n: number, ms: number, options: { path?: string } = {}): void {
    this.slows.push({ remaining: n, what: ms, path: options.path });
  }

  /**
   * Resolves once no call is being processed — e.g. after a client timed out on a `slowNext`
   * call that the fake still carries out, as the real platform would. Lets tests await
   * instead of sleeping.
   */
  settled(): Promise<void> {
    if (this.inflight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Revokes every token issued so far, as DingTalk may before `expireIn`. */
  expireAllTokens(): void {
    this.validTokens.clear();
    this.current = null;
  }

  /** POSTs a genuine encrypted event push (owner key = AppKey) to our server at `url`. */
  async pushEvent(
    url: string,
    event: Record<string, unknown>,
    options: { timestamp?: number; nonce?: string; spelling?: 'signature' | 'msg_signature'; token?: string } = {},
  ): Promise<{ status: number; body: any }> {
    const push = encryptEvent(
      { token: options.token ?? this.token, aesKey: this.aesKey, ownerKey: this.appKey },
      event,
      { timestamp: options.timestamp ?? this.clock.now().getTime(), nonce: options.nonce ?? 'WL4PK6yA', spelling: options.spelling },
    );
    const target = new URL(url);
    for (const [key, value] of Object.entries(push.query)) target.searchParams.set(key, value);
    return post(target.toString(), push.body, {});
  }

  /** POSTs a signed card-action callback (a user's tap on a button of a card) to `url`. */
  async tapCard(
    url: string,
    tap: { outTrackId: string; userId: string; actionId: string; params?: Record<string, unknown>; apiSecret?: string; timestamp?: number },
  ): Promise<{ status: number; body: any }> {
    const timestamp = String(tap.timestamp ?? this.clock.now().getTime());
    const content = JSON.stringify({ cardPrivateData: { actionIds: [tap.actionId], params: tap.params ?? {} } });
    const body = {
      type: 'actionCallback',
      outTrackId: tap.outTrackId,
      corpId: this.corpId,
      userId: tap.userId,
      userIdType: 1,
      spaceType: '',
      spaceId: '',
      extension: '{}',
      content,
      value: content,
    };
    return post(url, body, {
      'x-ddpaas-signature-timestamp': timestamp,
      'x-ddpaas-signature': signCardCallback(tap.apiSecret ?? this.cardApiSecret, timestamp),
    });
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ── transport ──────────────────────────────────────────────────────────────

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inflight += 1;
    try {
      await this.process(req, res);
    } finally {
      this.inflight -= 1;
      if (this.inflight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
    }
  }

  private async process(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const method = req.method ?? 'GET';
    const raw = await readAll(req);
    const isJson = (req.headers['content-type'] ?? '').toLowerCase().includes('application/json');
    let json: unknown;
    if (isJson && raw !== '') {
      try {
        json = JSON.parse(raw);
      } catch {
        json = undefined;
      }
    }
    this.calls.push({ method, path: url.pathname });
    const handler = this.routes.get(`${method} ${url.pathname}`);
    if (!handler) {
      this.unexpected.push({ method, path: url.pathname });
      return send(res, { status: 404, body: { code: 'fake.unexpected', message: `unexpected ${method} ${url.pathname}` } });
    }
    const slow = take(this.slows, url.pathname);
    if (slow !== undefined) await this.delay(slow);
    const failure = take(this.failures, url.pathname);
    if (failure !== undefined) return this.fail(res, failure);
    const reply = await handler({ method, path: url.pathname, query: url.searchParams, headers: req.headers, raw, json, isJson });
    send(res, reply);
  }

  private fail(res: ServerResponse, failure: FakeFailure): void {
    if ('reset' in failure) {
      res.socket?.destroy();
      return;
    }
    if ('raw' in failure) return send(res, { status: failure.status ?? 200, body: failure.raw });
    if ('errcode' in failure) {
      return send(res, { status: 200, body: { errcode: failure.errcode, errmsg: 'fake failure', sub_code: failure.sub_code, request_id: 'fake' } });
    }
    send(res, { status: failure.status, body: { code: failure.code, message: 'fake failure', requestid: 'fake' } });
  }

  private delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        resolve();
      }, ms);
      this.timers.add(timer);
    });
  }

  private now(): number {
    return this.clock.now().getTime();
  }

  // ── tokens ─────────────────────────────────────────────────────────────────

  private issue(): { value: string; expiresIn: number } {
    const now = this.now();
    // Documented for gettoken: a repeat fetch while valid returns the same token, extended.
    if (!this.current || this.current.expiresAt <= now) {
      this.tokenSeq += 1;
      this.current = { value: `fake-token-${this.tokenSeq}`, expiresAt: 0 };
    }
    this.current.expiresAt = now + this.expireIn * 1000;
    this.validTokens.set(this.current.value, this.current.expiresAt);
    return { value: this.current.value, expiresIn: this.expireIn };
  }

  private tokenValid(token: string | null | undefined): boolean {
    if (!token) return false;
    const until = this.validTokens.get(token);
    return until !== undefined && this.now() < until;
  }

  private accessToken(req: FakeRequest): Reply {
    this.fetches += 1;
    const body = req.json as { appKey?: unknown; appSecret?: unknown } | undefined;
    if (!req.isJson || typeof body !== 'object' || body === null) {
      return { status: 400, body: { code: 'Missingbody', message: 'body is mandatory for this action.', requestid: 'fake' } };
    }
    if (body.appKey !== this.appKey || body.appSecret !== this.appSecret) {
      return { status: 400, body: { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret', requestid: 'fake' } };
    }
    const token = this.issue();
    return { status: 200, body: { accessToken: token.value, expireIn: token.expiresIn } };
  }

  private gettoken(req: FakeRequest): Reply {
    this.fetches += 1;
    if (req.query.get('appkey') !== this.appKey || req.query.get('appsecret') !== this.appSecret) {
      return { status: 200, body: { errcode: 40089, errmsg: '不合法的appKey或appSecret' } };
    }
    const token = this.issue();
    return { status: 200, body: { errcode: 0, errmsg: 'ok', access_token: token.value, expires_in: token.expiresIn } };
  }

  // ── work notices ───────────────────────────────────────────────────────────

  private oapiGuard(req: FakeRequest): Reply | undefined {
    if (!this.tokenValid(req.query.get('access_token'))) {
      return { status: 200, body: { errcode: 40014, errmsg: '不合法的access_token', request_id: 'fake' } };
    }
    if (!req.isJson || typeof req.json !== 'object' || req.json === null) {
      return { status: 200, body: { errcode: 43004, errmsg: '无效的HTTP HEADER Content-Type', request_id: 'fake' } };
    }
    return undefined;
  }

  private asyncsend(req: FakeRequest): Reply {
    const refused = this.oapiGuard(req);
    if (refused) return refused;
    const body = req.json as { agent_id?: unknown; userid_list?: unknown; msg?: unknown };
    const bad = (why: string): Reply => ({ status: 200, body: { errcode: 40035, errmsg: `不合法的参数: ${why}`, request_id: 'fake' } });
    if (Number(body.agent_id) !== this.agentId) return bad('agent_id'); // fake: real code unknown
    if (typeof body.userid_list !== 'string' || body.userid_list === '') return bad('userid_list');
    const userIds = body.userid_list.split(',');
    if (userIds.length > 100) return bad('userid_list exceeds 100');
    if (typeof body.msg !== 'object' || body.msg === null || typeof (body.msg as { msgtype?: unknown }).msgtype !== 'string') return bad('msg');
    const content = JSON.stringify(body.msg);
    if (Buffer.byteLength(content, 'utf8') > 2048) return bad('msg exceeds 2048 bytes');

    const contentHash = createHash('sha256').update(content).digest('hex');
    const day = Math.floor((this.now() + SHANGHAI_OFFSET_MS) / DAY_MS);
    const task: NoticeTask = { invalid: [], forbidden: [], forbiddenList: [], failed: [], delivered: [] };
    for (const userId of userIds) {
      if (!this.users.has(userId)) {
        task.invalid.push(userId);
        continue;
      }
      let seen = this.noticeDays.get(userId);
      if (!seen || seen.day !== day) {
        seen = { day, contents: new Set(), count: 0 };
        this.noticeDays.set(userId, seen);
      }
      // The platform answers success either way; these only show up in getsendresult.
      const dropCode = seen.contents.has(contentHash) ? '143106' : seen.count >= this.noticeDailyLimit ? '143105' : undefined;
      if (dropCode) {
        task.forbidden.push(userId);
        task.forbiddenList.push({ code: dropCode, count: 1, userid: userId });
        continue;
      }
      seen.contents.add(contentHash);
      seen.count += 1;
      task.delivered.push(userId);
      const list = this.notices.get(userId) ?? [];
      list.push(JSON.parse(content) as Record<string, unknown>);
      this.notices.set(userId, list);
    }
    this.taskSeq += 1;
    this.tasks.set(String(this.taskSeq), task);
    return { status: 200, body: { errcode: 0, task_id: this.taskSeq, request_id: 'fake' } };
  }

  private getsendresult(req: FakeRequest): Reply {
    const refused = this.oapiGuard(req);
    if (refused) return refused;
    const body = req.json as { agent_id?: unknown; task_id?: unknown };
    const task = this.tasks.get(String(body.task_id));
    if (Number(body.agent_id) !== this.agentId || !task) {
      return { status: 200, body: { errcode: 40035, errmsg: '不合法的参数: task_id', request_id: 'fake' } };
    }
    return {
      status: 200,
      body: {
        errcode: 0,
        request_id: 'fake',
        send_result: {
          invalid_user_id_list: task.invalid,
          forbidden_user_id_list: task.forbidden,
          failed_user_id_list: task.failed,
          read_user_id_list: [],
          unread_user_id_list: task.delivered,
          invalid_dept_id_list: [],
          forbidden_list: task.forbiddenList,
        },
      },
    };
  }

  // ── cards ──────────────────────────────────────────────────────────────────

  private apiGuard(req: FakeRequest): Reply | undefined {
    const token = req.headers['x-acs-dingtalk-access-token'];
    if (!this.tokenValid(Array.isArray(token) ? token[0] : token)) {
      return { status: 400, body: { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'fake' } };
    }
    if (!req.isJson || typeof req.json !== 'object' || req.json === null) {
      return { status: 400, body: { code: 'Missingbody', message: 'body is mandatory for this action.', requestid: 'fake' } };
    }
    return undefined;
  }

  private createAndDeliver(req: FakeRequest): Reply {
    const refused = this.apiGuard(req);
    if (refused) return refused;
    const body = req.json as Record<string, any>;
    const bad = (code: string, message: string): Reply => ({ status: 400, body: { code, message, requestid: 'fake' } });
    if (body.cardTemplateId !== this.cardTemplateId) return bad('param.templateNotExist', 'template not exist');
    if (typeof body.outTrackId !== 'string' || body.outTrackId === '') return bad('param.outTrackIdInvalid', 'outTrackId'); // fake
    if (this.cards.has(body.outTrackId)) return bad('param.cardAlreadyExist', 'card already exist');
    const map = body.cardData?.cardParamMap;
    if (!isStringMap(map)) return bad('param.cardParamMapInvalid', 'cardParamMap values must be strings'); // fake
    if (body.callbackType !== undefined && body.callbackType !== 'HTTP' && body.callbackType !== 'STREAM') {
      return bad('param.callbackTypeInvalid', 'callbackType'); // fake
    }
    const spaces = typeof body.openSpaceId === 'string' ? body.openSpaceId.split(';') : [];
    const userIds = spaces.map((space: string) => /^dtv1\.card\/\/IM_ROBOT\.(.+)$/.exec(space)?.[1]);
    if (userIds.length === 0 || userIds.some((u: string | undefined) => !u)) return bad('param.openSpaceIdInvalid', 'openSpaceId');
    if (typeof body.imRobotOpenSpaceModel !== 'object' || body.imRobotOpenSpaceModel === null) {
      return bad('param.spaceModelMissing', 'spaces of card is empty'); // fake code, reported message
    }
    const deliver = body.imRobotOpenDeliverModel;
    if (deliver?.spaceType !== 'IM_ROBOT' || deliver?.robotCode !== this.appKey) return bad('param.robotCodeInvalid', 'robotCode'); // fake

    const privateData: Record<string, Record<string, string>> = {};
    for (const [userId, data] of Object.entries((body.privateData ?? {}) as Record<string, any>)) {
      if (isStringMap(data?.cardParamMap)) privateData[userId] = { ...data.cardParamMap };
    }
    const card: CardInstance = {
      outTrackId: body.outTrackId,
      cardTemplateId: body.cardTemplateId,
      cardParamMap: { ...map },
      privateData,
      deliveredTo: [],
      callbackRouteKey: body.callbackRouteKey,
      callbackType: body.callbackType,
    };
    this.cards.set(card.outTrackId, card);
    const deliverResults = (userIds as string[]).map((userId, i) => {
      if (!this.users.has(userId)) return { spaceType: 'IM_ROBOT', spaceId: userId, success: false, errorMsg: 'user not exist' };
      card.deliveredTo.push(userId);
      return { spaceType: 'IM_ROBOT', spaceId: userId, success: true, carrierId: `carrier-${card.outTrackId}-${i}` };
    });
    // Like the real one: the top level says success even when a space failed.
    return { status: 200, body: { success: true, result: { outTrackId: card.outTrackId, deliverResults } } };
  }

  private updateCard(req: FakeRequest): Reply {
    const refused = this.apiGuard(req);
    if (refused) return refused;
    const body = req.json as Record<string, any>;
    const card = typeof body.outTrackId === 'string' ? this.cards.get(body.outTrackId) : undefined;
    if (!card) return { status: 400, body: { code: 'param.cardNotExist', message: 'card not exist', requestid: 'fake' } }; // fake code
    const map = body.cardData?.cardParamMap;
    if (map !== undefined && !isStringMap(map)) {
      return { status: 400, body: { code: 'param.cardParamMapInvalid', message: 'cardParamMap', requestid: 'fake' } };
    }
    const byKey = body.cardUpdateOptions?.updateCardDataByKey === true;
    if (map) card.cardParamMap = byKey ? { ...card.cardParamMap, ...map } : { ...map };
    const privateByKey = body.cardUpdateOptions?.updatePrivateDataByKey === true;
    for (const [userId, data] of Object.entries((body.privateData ?? {}) as Record<string, any>)) {
      if (!isStringMap(data?.cardParamMap)) continue;
      card.privateData[userId] = privateByKey ? { ...(card.privateData[userId] ?? {}), ...data.cardParamMap } : { ...data.cardParamMap };
    }
    return { status: 200, body: { success: true, result: true } };
  }

  // ── custom group robot ─────────────────────────────────────────────────────

  private robotSend(req: FakeRequest): Reply {
    const answer = (errcode: number, errmsg: string): Reply => ({ status: 200, body: { errcode, errmsg } });
    if (!req.isJson || typeof req.json !== 'object' || req.json === null) return answer(43004, '无效的HTTP HEADER Content-Type');
    if (req.query.get('access_token') !== this.robotToken) return answer(300005, 'token is not exist');
    const now = this.now();
    if (this.robotSecret !== null) {
      const timestamp = req.query.get('timestamp') ?? '';
      const sign = req.query.get('sign') ?? '';
      if (!/^\d+$/.test(timestamp) || Math.abs(now - Number(timestamp)) > 3_600_000) {
        return answer(310000, 'invalid timestamp');
      }
      if (sign !== robotSign(this.robotSecret, timestamp)) return answer(310000, 'sign not match');
    }
    if (now < this.robotBlockedUntil) return answer(130101, 'send too fast, exceed 20 times per minute');
    while (this.robotSends.length > 0 && this.robotSends[0] <= now - 60_000) this.robotSends.shift();
    if (this.robotSends.length >= ROBOT_PER_MINUTE) {
      this.robotBlockedUntil = now + ROBOT_BLOCK_MS;
      return answer(130101, 'send too fast, exceed 20 times per minute');
    }
    const body = req.json as Record<string, unknown>;
    if (typeof body.msgtype !== 'string' || !ROBOT_MSGTYPES.has(body.msgtype)) return answer(400105, '不支持的消息类型');
    this.robotSends.push(now);
    this.robotBodies.push(body);
    return answer(0, 'ok');
  }
}

/** Starts a fake DingTalk on 127.0.0.1 (a free port); `close()` it after the tests. */
export async function startFakeDingtalk(options: FakeDingtalkOptions = {}): Promise<FakeDingtalk> {
  const fake = new FakeDingtalk(options);
  await fake.listen();
  return fake;
}

function take<T>(queue: Degradation<T>[], path: string): T | undefined {
  const index = queue.findIndex((d) => d.remaining > 0 && (d.path !== undefined ? d.path === path : !TOKEN_PATHS.has(path)));
  if (index < 0) return undefined;
  const entry = queue[index];
  entry.remaining -= 1;
  if (entry.remaining === 0) queue.splice(index, 1);
  return entry.what;
}

function isStringMap(value: unknown): value is Record<string, string> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}

function readAll(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, reply: Reply): void {
  if (res.writableEnded || res.destroyed) return;
  const text = JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'Content-Type': 'application/json;charset=utf-8', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
}

async function post(url: string, body: unknown, headers: Record<string, string>): Promise<{ status: number; body: any }> {
  const response = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body: parsed };
}
