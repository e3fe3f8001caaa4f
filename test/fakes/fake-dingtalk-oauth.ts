import { randomBytes } from 'node:crypto';
import { Clock } from '../../src/clock';
import { FakeOauthCodes } from './fake-oauth-codes';

interface OauthRequest {
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
  json: unknown;
  isJson: boolean;
}

interface OauthReply {
  status: number;
  body: unknown;
}

/**
 * DingTalk's sign-in for the fake (docs/api.md §Console): the authorization page's code
 * (`authorize`, single-use, 5 minutes) becomes a user token (`POST /v1.0/oauth2/userAccessToken`),
 * the token the person's unionId (`GET /v1.0/contact/users/me`), and the unionId their userid
 * (`POST /topapi/user/getbyunionid`, with the app's token). A unionId here is `union-<userId>`.
 */
export class FakeDingtalkOauth {
  private readonly codes: FakeOauthCodes;
  private readonly userTokens = new Map<string, { unionId: string; expiresAt: number }>();

  constructor(
    private readonly app: { clock: Clock; appKey: string; appSecret: string; corpId: string; users: Set<string>; appTokenValid(token: string | null): boolean },
  ) {
    this.codes = new FakeOauthCodes(app.clock);
  }

  /** The code DingTalk's login page hands the browser of `userId`. */
  authorize(userId: string): string {
    return this.codes.issue(`union-${userId}`);
  }

  routes(): [string, (req: OauthRequest) => OauthReply][] {
    return [
      ['POST /v1.0/oauth2/userAccessToken', (r) => this.userAccessToken(r)],
      ['GET /v1.0/contact/users/me', (r) => this.me(r)],
      ['POST /topapi/user/getbyunionid', (r) => this.getByUnionId(r)],
    ];
  }

  private userAccessToken(req: OauthRequest): OauthReply {
    const body = (req.isJson ? req.json : undefined) as { clientId?: unknown; clientSecret?: unknown; code?: unknown; grantType?: unknown } | undefined;
    if (!body || body.clientId !== this.app.appKey || body.clientSecret !== this.app.appSecret) {
      return { status: 400, body: { code: 'invalidClientIdOrSecret', message: '无效的clientId或者clientSecret', requestid: 'fake' } };
    }
    if (body.grantType !== 'authorization_code') return { status: 400, body: { code: 'invalidGrantType', message: 'grantType', requestid: 'fake' } };
    const unionId = typeof body.code === 'string' ? this.codes.take(body.code) : null;
    if (unionId === null) return { status: 400, body: { code: 'invalidAuthCode', message: '不合法的临时授权码', requestid: 'fake' } };
    const accessToken = randomBytes(16).toString('hex');
    this.userTokens.set(accessToken, { unionId, expiresAt: this.app.clock.now().getTime() + 7200_000 });
    return { status: 200, body: { accessToken, refreshToken: randomBytes(16).toString('hex'), expireIn: 7200, corpId: this.app.corpId } };
  }

  private me(req: OauthRequest): OauthReply {
    const header = req.headers['x-acs-dingtalk-access-token'];
    const token = this.userTokens.get(String(Array.isArray(header) ? header[0] : header));
    if (!token || this.app.clock.now().getTime() >= token.expiresAt) {
      return { status: 401, body: { code: 'InvalidAuthentication', message: '不合法的access_token', requestid: 'fake' } };
    }
    return { status: 200, body: { nick: token.unionId.slice('union-'.length), unionId: token.unionId, openId: `open-${token.unionId}`, stateCode: '86' } };
  }

  private getByUnionId(req: OauthRequest): OauthReply {
    if (!this.app.appTokenValid(req.query.get('access_token'))) return { status: 200, body: { errcode: 40014, errmsg: '不合法的access_token', request_id: 'fake' } };
    const unionId = (req.json as { unionid?: unknown } | undefined)?.unionid;
    const userId = typeof unionId === 'string' && unionId.startsWith('union-') ? unionId.slice('union-'.length) : null;
    if (userId === null || !this.app.users.has(userId)) return { status: 200, body: { errcode: 60121, errmsg: '找不到该用户', request_id: 'fake' } };
    return { status: 200, body: { errcode: 0, errmsg: 'ok', result: { contact_type: 0, userid: userId }, request_id: 'fake' } };
  }
}
