/**
 * What the WeCom adapter needs to know about one self-built app (企业内部自建应用).
 * Built once from the validated configuration (`WecomSettings` is assignable to it);
 * `corpSecret`, `token` and `encodingAesKey` are secrets and are never logged.
 */
export interface WecomConfig {
  /** `WECOM_CORP_ID`; also the `receiveid` every callback must carry. */
  corpId: string;
  /** `WECOM_CORP_SECRET`: the secret of this one app (each app has its own token). */
  corpSecret: string;
  /** `WECOM_AGENT_ID`: sent as an integer, WeCom rejects a string. */
  agentId: number;
  /** `WECOM_TOKEN`: callback signing token; needed only to receive callbacks. */
  token?: string | null;
  /** `WECOM_ENCODING_AES_KEY`: 43 characters; needed only to receive callbacks. */
  encodingAesKey?: string | null;
  /** `WECOM_API_BASE`, e.g. `https://qyapi.weixin.qq.com` (a fake's URL in tests). */
  apiBase: string;
  /** Per-request timeout of every WeCom call, in ms (default 10 000). */
  timeoutMs?: number;
}
