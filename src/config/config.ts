import { IANAZone } from 'luxon';
import { z } from 'zod';
import { robotPlatformOf } from '../channels/robot-platform';
import { DB_URL_HINT, DbTarget, parseDbUrl } from '../db/db-url';

/**
 * Huifang's configuration, read once from the environment at boot (docs/api.md). Nothing
 * else reads `process.env`. Every problem is collected, so a bad start lists them all at once.
 */
export interface Config {
  port: number;
  db: DbTarget;
  /** Zone of offices that name none. */
  defaultTimeZone: string;
  /** How residents' browsers reach us; links in cards start with it. */
  publicBaseUrl: string;
  /** Bearer token of `/api/*`; null refuses all (except in sandbox mode). */
  adminToken: string | null;
  /** HMAC key of the work-order webhook; generated per start in sandbox mode. */
  webhookSecret: string | null;
  /** Secret for survey links and staff form links (defaults to a key derived from others). */
  linkSecret: string | null;
  wecom: WecomSettings | null;
  dingtalk: DingtalkSettings | null;
  /** The WeChat Official Account (公众号) whose followers get template messages; null: none. */
  officialAccount: { appId: string; appSecret: string; apiBase: string; oauthBase: string } | null;
  /** No WeCom and no DingTalk credentials: the built-in chat sandbox stands in for them. */
  sandbox: boolean;
  summaryRobot: { url: string; secret: string | null } | null;
  schedules: Record<ScheduleName, string>;
  logLevel: string;
}

export interface WecomSettings {
  corpId: string;
  corpSecret: string;
  agentId: number;
  token: string | null;
  encodingAesKey: string | null;
  apiBase: string;
  /** Where the chat sidebar's page loads WeCom's JS-SDK from (`WECOM_JSSDK_URL`). */
  jssdkUrl: string;
}

/** WeCom's JS-SDK with `wx.agentConfig`, on WeCom's own host (docs/wecom.md §10). */
export const DEFAULT_WECOM_JSSDK_URL = 'https://res.wx.qq.com/wwopen/js/jsapi/jweixin-1.0.0.js';

export interface DingtalkSettings {
  appKey: string;
  appSecret: string;
  agentId: number;
  corpId: string | null;
  token: string | null;
  aesKey: string | null;
  cardTemplateId: string | null;
  cardRouteKey: string | null;
  cardApiSecret: string | null;
  apiBase: string;
  oapiBase: string;
}

export const SCHEDULE_NAMES = [
  'reminders',
  'dispatch',
  'overdue',
  'resident-reask',
  'weekly-summary',
  'quarterly-stats',
  'archive',
  'warranty',
  'customer-messages',
  'campaign-closing',
  'campaign-reports',
  'campaign-calls',
] as const;
export type ScheduleName = (typeof SCHEDULE_NAMES)[number];

/**
 * Default cron expressions (node-cron, six fields with seconds). Sweeps run off the minute
 * mark (WeCom advises against bulk sends at :00 and :30); each sweep is idempotent and
 * selects what is due up to now, so the cadence only sets the latency.
 */
export const DEFAULT_SCHEDULES: Record<ScheduleName, string> = {
  reminders: '17 */5 * * * *',
  dispatch: '*/10 * * * * *',
  overdue: '23 7,37 * * * *',
  'resident-reask': '41 */15 * * * *',
  'weekly-summary': '13 3,33 * * * *',
  'quarterly-stats': '29 11 * * * *',
  archive: '31 12 * * * *',
  warranty: '47 3,33 * * * *',
  'customer-messages': '53 */5 * * * *',
  'campaign-closing': '37 */5 * * * *',
  'campaign-reports': '19 4,34 * * * *',
  'campaign-calls': '7 */5 * * * *',
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const AES_KEY = /^[A-Za-z0-9]{43}$/;

const httpUrl = (hint: string) =>
  z
    .string()
    .refine(isHttpUrl, hint)
    .transform((url) => url.replace(/\/+$/, ''));
const agentId = z.string().regex(/^\d+$/, "must be the app's numeric AgentId").transform(Number);
const cron = z
  .string()
  .refine((v) => [5, 6].includes(v.split(/\s+/).length), (v) => ({ message: `"${v}" is not a cron expression (5 or 6 fields)` }));

/** The cron variable of a schedule: `dispatch` → `CRON_DISPATCH`. */
export const cronVariable = (name: ScheduleName): string => `CRON_${name.toUpperCase().replace(/-/g, '_')}`;

/**
 * Every variable Huifang reads, each with its own rule (zod); a blank value counts as unset.
 * The order is the order problems are listed in. Rules across variables (all-or-none groups,
 * the webhook secret once a platform is set) are in `loadConfig`.
 */
const VARIABLES = {
  PORT: z
    .string()
    .refine((v) => /^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535, (v) => ({ message: `"${v}" is not a port number (1–65535)` }))
    .transform(Number),
  DB_URL: z.string().transform((url, ctx): DbTarget => {
    const target = parseDbUrl(url);
    if (target) return target;
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: DB_URL_HINT });
    return z.NEVER;
  }),
  TZ_DEFAULT: z
    .string()
    .refine((zone) => IANAZone.isValidZone(zone), (zone) => ({ message: `"${zone}" is not an IANA time zone (for example Asia/Shanghai)` })),
  PUBLIC_BASE_URL: httpUrl('must be an http(s) URL, for example https://hf.example.org'),
  ADMIN_TOKEN: z.string().min(16, 'must be at least 16 characters'),
  WEBHOOK_SECRET: z.string(),
  LINK_SECRET: z.string(),
  SUMMARY_ROBOT_WEBHOOK: z
    .string()
    .refine(
      (url) => isHttpUrl(url) && robotPlatformOf(url) !== null,
      'must be a WeCom (…/cgi-bin/webhook/send?key=…) or DingTalk (…/robot/send?access_token=…) robot URL',
    ),
  SUMMARY_ROBOT_SECRET: z.string(),
  LOG_LEVEL: z.enum(LOG_LEVELS, { errorMap: () => ({ message: `one of ${LOG_LEVELS.join(', ')}` }) }),
  WECOM_CORP_ID: z.string(),
  WECOM_CORP_SECRET: z.string(),
  WECOM_AGENT_ID: agentId,
  WECOM_TOKEN: z.string(),
  WECOM_ENCODING_AES_KEY: z.string().regex(AES_KEY, 'must be exactly 43 letters and digits'),
  WECOM_API_BASE: httpUrl('must be an http(s) URL'),
  WECOM_JSSDK_URL: httpUrl('must be an http(s) URL of a script'),
  DINGTALK_APP_KEY: z.string(),
  DINGTALK_APP_SECRET: z.string(),
  DINGTALK_AGENT_ID: agentId,
  DINGTALK_CORP_ID: z.string(),
  DINGTALK_TOKEN: z.string(),
  DINGTALK_AES_KEY: z.string().regex(AES_KEY, 'must be exactly 43 letters and digits'),
  DINGTALK_CARD_TEMPLATE_ID: z.string(),
  DINGTALK_CARD_ROUTE_KEY: z.string(),
  DINGTALK_CARD_API_SECRET: z.string(),
  DINGTALK_API_BASE: httpUrl('must be an http(s) URL'),
  DINGTALK_OAPI_BASE: httpUrl('must be an http(s) URL'),
  WECHAT_MP_APP_ID: z.string().regex(/^wx[0-9a-f]{16}$/, 'must be the Official Account\'s AppID (wx and 16 hex digits)'),
  WECHAT_MP_APP_SECRET: z.string(),
  WECHAT_MP_API_BASE: httpUrl('must be an http(s) URL'),
  WECHAT_MP_OAUTH_BASE: httpUrl('must be an http(s) URL'),
  ...(Object.fromEntries(SCHEDULE_NAMES.map((name) => [cronVariable(name), cron])) as Record<`CRON_${string}`, typeof cron>),
};

type Variable = keyof typeof VARIABLES;
type Values = { [K in Variable]?: z.output<(typeof VARIABLES)[K]> };

/** The names of every variable the configuration reads (for `.env.example` and the docs). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(VARIABLES);

/** Reads and validates the configuration; throws ConfigError with one line per problem. */
export function loadConfig(env: Env): Config {
  const problems: { variable: string; line: string }[] = [];
  const problem = (variable: string, message: string) => problems.push({ variable, line: `${variable}: ${message}` });
  const values: Values = {};
  for (const name of Object.keys(VARIABLES) as Variable[]) {
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const result = VARIABLES[name].safeParse(raw);
    if (result.success) (values as Record<string, unknown>)[name] = result.data;
    // Why only the message: the value may be a secret, and a rule that shows it does so itself.
    else problem(name, result.error.issues[0]!.message);
  }
  const given = (name: Variable): boolean => (env[name]?.trim() ?? '') !== '';
  /** A group of variables that only make sense together: all or none. */
  const together = (names: Variable[]): boolean => {
    const present = names.filter(given);
    if (present.length === 0) return false;
    for (const name of names) {
      if (!given(name)) problem(name, `required when ${present.join(', ')} ${present.length > 1 ? 'are' : 'is'} set`);
    }
    return present.length === names.length;
  };

  const wecomApp = together(['WECOM_CORP_ID', 'WECOM_CORP_SECRET', 'WECOM_AGENT_ID']);
  const wecomCallback = together(['WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY']);
  const dingtalkApp = together(['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_AGENT_ID']);
  const dingtalkCallback = together(['DINGTALK_TOKEN', 'DINGTALK_AES_KEY']);
  const officialAccount = together(['WECHAT_MP_APP_ID', 'WECHAT_MP_APP_SECRET']);
  const sandbox = !wecomApp && !dingtalkApp;
  if (!sandbox && !given('WEBHOOK_SECRET')) {
    problem('WEBHOOK_SECRET', 'required when WeCom or DingTalk is configured (the work-order webhook HMAC key)');
  }
  if (problems.length > 0) {
    const order = Object.keys(VARIABLES);
    problems.sort((a, b) => order.indexOf(a.variable) - order.indexOf(b.variable));
    throw new ConfigError(problems.map((p) => p.line));
  }

  const port = values.PORT ?? 3000;
  const schedules = { ...DEFAULT_SCHEDULES };
  for (const name of SCHEDULE_NAMES) schedules[name] = values[cronVariable(name) as Variable] as string | undefined ?? schedules[name];
  return {
    port,
    db: values.DB_URL ?? { kind: 'sqlite', path: './data/huifang.sqlite', label: 'sqlite' },
    defaultTimeZone: values.TZ_DEFAULT ?? 'Asia/Shanghai',
    publicBaseUrl: values.PUBLIC_BASE_URL ?? `http://localhost:${port}`,
    adminToken: values.ADMIN_TOKEN ?? null,
    webhookSecret: values.WEBHOOK_SECRET ?? null,
    linkSecret: values.LINK_SECRET ?? null,
    wecom: wecomApp
      ? {
          corpId: values.WECOM_CORP_ID!,
          corpSecret: values.WECOM_CORP_SECRET!,
          agentId: values.WECOM_AGENT_ID!,
          token: wecomCallback ? values.WECOM_TOKEN! : null,
          encodingAesKey: wecomCallback ? values.WECOM_ENCODING_AES_KEY! : null,
          apiBase: values.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com',
          jssdkUrl: values.WECOM_JSSDK_URL ?? DEFAULT_WECOM_JSSDK_URL,
        }
      : null,
    dingtalk: dingtalkApp
      ? {
          appKey: values.DINGTALK_APP_KEY!,
          appSecret: values.DINGTALK_APP_SECRET!,
          agentId: values.DINGTALK_AGENT_ID!,
          corpId: values.DINGTALK_CORP_ID ?? null,
          token: dingtalkCallback ? values.DINGTALK_TOKEN! : null,
          aesKey: dingtalkCallback ? values.DINGTALK_AES_KEY! : null,
          cardTemplateId: values.DINGTALK_CARD_TEMPLATE_ID ?? null,
          cardRouteKey: values.DINGTALK_CARD_ROUTE_KEY ?? null,
          cardApiSecret: values.DINGTALK_CARD_API_SECRET ?? null,
          apiBase: values.DINGTALK_API_BASE ?? 'https://api.dingtalk.com',
          oapiBase: values.DINGTALK_OAPI_BASE ?? 'https://oapi.dingtalk.com',
        }
      : null,
    officialAccount: officialAccount
      ? {
          appId: values.WECHAT_MP_APP_ID!,
          appSecret: values.WECHAT_MP_APP_SECRET!,
          apiBase: values.WECHAT_MP_API_BASE ?? 'https://api.weixin.qq.com',
          oauthBase: values.WECHAT_MP_OAUTH_BASE ?? 'https://open.weixin.qq.com',
        }
      : null,
    sandbox,
    summaryRobot: values.SUMMARY_ROBOT_WEBHOOK ? { url: values.SUMMARY_ROBOT_WEBHOOK, secret: values.SUMMARY_ROBOT_SECRET ?? null } : null,
    schedules,
    logLevel: values.LOG_LEVEL ?? 'info',
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}
