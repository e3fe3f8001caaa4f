/**
 * What the DingTalk adapter needs to know about one internal enterprise app (企业内部应用).
 * Built once from the validated configuration (`DingtalkSettings` is assignable to it).
 * `appSecret`, `token`, `aesKey` and `cardApiSecret` are secrets and are never logged.
 */
export interface DingtalkConfig {
  /** `DINGTALK_APP_KEY`: identifies the app; also the robot code of its chat robot and the
   * owner key inside every event push of an internal app (§5.1). */
  appKey: string;
  /** `DINGTALK_APP_SECRET`: exchanged for the access token (§2). */
  appSecret: string;
  /** `DINGTALK_AGENT_ID`: work notices name the app by it; sent as a number. */
  agentId: number;
  /** `DINGTALK_CORP_ID`: the organisation; card callbacks carry it. */
  corpId?: string | null;
  /** `DINGTALK_TOKEN`: event-push signing token; needed only to receive events. */
  token?: string | null;
  /** `DINGTALK_AES_KEY`: 43 characters; needed only to receive events. */
  aesKey?: string | null;
  /** `DINGTALK_CARD_TEMPLATE_ID`: the published generic card template (`….schema`). */
  cardTemplateId?: string | null;
  /** Route key registered for HTTP card callbacks (§4.4); one per environment. */
  cardRouteKey?: string | null;
  /** `apiSecret` registered with the route key; signs card callbacks (§4.5). */
  cardApiSecret?: string | null;
  /** `DINGTALK_API_BASE`: the v1.0 host, `https://api.dingtalk.com` (a fake's URL in tests). */
  apiBase: string;
  /** `DINGTALK_OAPI_BASE`: the legacy host, `https://oapi.dingtalk.com`. */
  oapiBase: string;
  /** Per-request timeout of every DingTalk call, in ms (default 10 000). */
  timeoutMs?: number;
}
