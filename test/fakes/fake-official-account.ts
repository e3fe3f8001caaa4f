import { randomBytes } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

/**
 * A fake WeChat Official Account (公众号) on 127.0.0.1, for tests (docs/wecom.md §11): the
 * access token, template messages — only to followers (43004 otherwise), only with templates
 * the account owns (40037), only to openids it knows (40003) — and web authorisation: its
 * authorize page sends the browser back with a single-use code for `browserOpenId`, which
 * `sns/oauth2/access_token` exchanges for that openid (40029 for a used or unknown code).
 * A call it does not expect answers 404 and is listed in `unexpected`.
 */
export interface FakeOfficialAccount {
  readonly apiBase: string;
  readonly appId: string;
  readonly appSecret: string;
  /** Openids of the account's followers. */
  readonly followers: Set<string>;
  /** Openids that once followed (unfollowed ones stay known, and get 43004). */
  readonly known: Set<string>;
  /** Template ids the account owns. */
  readonly templates: Set<string>;
  /** The WeChat user whose browser goes through the authorize page. */
  browserOpenId: string | null;
  sent(): { openId: string; templateId: string; url: string; data: Record<string, { value: string }> }[];
  /** Forgets the messages sent. */
  clear(): void;
  readonly unexpected: string[];
  /** The environment that points Huifang at this fake. */
  env(): Record<string, string>;
  close(): Promise<void>;
}

export async function startFakeOfficialAccount(): Promise<FakeOfficialAccount> {
  const appId = `wx${randomBytes(8).toString('hex')}`;
  const appSecret = randomBytes(16).toString('hex');
  const tokens = new Set<string>();
  const codes = new Map<string, string>();
  const sent: ReturnType<FakeOfficialAccount['sent']> = [];
  const unexpected: string[] = [];
  const fake = {
    followers: new Set<string>(),
    known: new Set<string>(),
    templates: new Set<string>(),
    browserOpenId: null as string | null,
  };

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://fake');
    const q = url.searchParams;
    const json = (body: unknown) => {
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    const refuse = (errcode: number, errmsg: string) => json({ errcode, errmsg });
    if (req.method === 'GET' && url.pathname === '/cgi-bin/token') {
      if (q.get('appid') !== appId || q.get('secret') !== appSecret || q.get('grant_type') !== 'client_credential') return refuse(40001, 'invalid credential');
      const token = randomBytes(24).toString('hex');
      tokens.add(token);
      return json({ access_token: token, expires_in: 7200 });
    }
    if (req.method === 'POST' && url.pathname === '/cgi-bin/message/template/send') {
      if (!tokens.has(q.get('access_token') ?? '')) return refuse(40014, 'invalid access_token');
      const body = JSON.parse(await read(req)) as { touser?: string; template_id?: string; url?: string; data?: Record<string, { value: string }> };
      if (!body.touser || !fake.known.has(body.touser)) return refuse(40003, 'invalid openid');
      if (!body.template_id || !fake.templates.has(body.template_id)) return refuse(40037, 'invalid template_id');
      if (!fake.followers.has(body.touser)) return refuse(43004, 'require subscribe');
      if (typeof body.data !== 'object' || body.data === null || Object.values(body.data).some((v) => typeof v?.value !== 'string' || [...v.value].length > 20)) {
        return refuse(47003, 'argument invalid: data');
      }
      sent.push({ openId: body.touser, templateId: body.template_id, url: String(body.url ?? ''), data: body.data });
      return json({ errcode: 0, errmsg: 'ok', msgid: Date.now() * 1000 + sent.length });
    }
    if (req.method === 'GET' && url.pathname === '/connect/oauth2/authorize') {
      if (q.get('appid') !== appId || q.get('scope') !== 'snsapi_base' || !fake.browserOpenId) return refuse(10003, 'redirect_uri or appid invalid');
      const code = randomBytes(12).toString('hex');
      codes.set(code, fake.browserOpenId);
      const back = new URL(q.get('redirect_uri') ?? '');
      back.searchParams.set('code', code);
      back.searchParams.set('state', q.get('state') ?? '');
      res.writeHead(302, { Location: back.toString() });
      return res.end();
    }
    if (req.method === 'GET' && url.pathname === '/sns/oauth2/access_token') {
      const openid = codes.get(q.get('code') ?? '');
      if (q.get('appid') !== appId || q.get('secret') !== appSecret) return refuse(40125, 'invalid appsecret');
      if (!openid) return refuse(40029, 'invalid code');
      codes.delete(q.get('code')!);
      return json({ access_token: randomBytes(16).toString('hex'), expires_in: 7200, refresh_token: 'r', openid, scope: 'snsapi_base' });
    }
    unexpected.push(`${req.method} ${url.pathname}`);
    res.writeHead(404);
    res.end();
  };

  const server: Server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      unexpected.push(`crash ${String(err)}`);
      if (!res.headersSent) res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return Object.assign(fake, {
    apiBase,
    appId,
    appSecret,
    unexpected,
    sent: () => [...sent],
    clear: () => void sent.splice(0),
    env: () => ({ WECHAT_MP_APP_ID: appId, WECHAT_MP_APP_SECRET: appSecret, WECHAT_MP_API_BASE: apiBase, WECHAT_MP_OAUTH_BASE: apiBase }),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  });
}

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
