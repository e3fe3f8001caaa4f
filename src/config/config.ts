import { IANAZone } from 'luxon';
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
}

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
};

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

type Env = Record<string, string | undefined>;

const isSet = (value: string | undefined): value is string => value !== undefined && value.trim() !== '';

/** Reads and validates the configuration; throws ConfigError with one line per problem. */
export function loadConfig(env: Env): Config {
  const problems: string[] = [];
  const get = (name: string): string | undefined => (isSet(env[name]) ? env[name]!.trim() : undefined);

  const port = parsePort(get('PORT') ?? '3000', problems);

  let db: DbTarget = { kind: 'sqlite', path: './data/huifang.sqlite', label: 'sqlite' };
  const dbUrl = get('DB_URL');
  if (dbUrl !== undefined) {
    const parsed = parseDbUrl(dbUrl);
    if (parsed) db = parsed;
    else problems.push(`DB_URL: ${DB_URL_HINT}`);
  }

  const defaultTimeZone = get('TZ_DEFAULT') ?? 'Asia/Shanghai';
  if (!IANAZone.isValidZone(defaultTimeZone)) {
    problems.push(`TZ_DEFAULT: "${defaultTimeZone}" is not an IANA time zone (for example Asia/Shanghai)`);
  }

  const publicBaseUrl = (get('PUBLIC_BASE_URL') ?? `http://localhost:${port ?? 3000}`).replace(/\/+$/, '');
  if (!isHttpUrl(publicBaseUrl)) problems.push('PUBLIC_BASE_URL: must be an http(s) URL, for example https://hf.example.org');

  const wecom = readWecom(get, problems);
  const dingtalk = readDingtalk(get, problems);
  const sandbox = wecom === null && dingtalk === null;

  const webhookSecret = get('WEBHOOK_SECRET') ?? null;
  if (!sandbox && webhookSecret === null) {
    problems.push('WEBHOOK_SECRET: required when WeCom or DingTalk is configured (the work-order webhook HMAC key)');
  }

  const adminToken = get('ADMIN_TOKEN') ?? null;
  if (adminToken !== null && adminToken.length < 16) problems.push('ADMIN_TOKEN: must be at least 16 characters');

  let summaryRobot: Config['summaryRobot'] = null;
  const robotUrl = get('SUMMARY_ROBOT_WEBHOOK');
  if (robotUrl !== undefined) {
    if (isHttpUrl(robotUrl) && robotPlatformOf(robotUrl)) summaryRobot = { url: robotUrl, secret: get('SUMMARY_ROBOT_SECRET') ?? null };
    else problems.push('SUMMARY_ROBOT_WEBHOOK: must be a WeCom (…/cgi-bin/webhook/send?key=…) or DingTalk (…/robot/send?access_token=…) robot URL');
  }

  const schedules = { ...DEFAULT_SCHEDULES };
  for (const name of SCHEDULE_NAMES) {
    const variable = `CRON_${name.toUpperCase().replace(/-/g, '_')}`;
    const value = get(variable);
    if (value === undefined) continue;
    if (value.split(/\s+/).length < 5 || value.split(/\s+/).length > 6) {
      problems.push(`${variable}: "${value}" is not a cron expression (5 or 6 fields)`);
    } else schedules[name] = value;
  }

  const logLevel = get('LOG_LEVEL') ?? 'info';
  if (!['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(logLevel)) {
    problems.push('LOG_LEVEL: one of fatal, error, warn, info, debug, trace, silent');
  }

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: port!,
    db,
    defaultTimeZone,
    publicBaseUrl,
    adminToken,
    webhookSecret,
    linkSecret: get('LINK_SECRET') ?? null,
    wecom,
    dingtalk,
    sandbox,
    summaryRobot,
    schedules,
    logLevel,
  };
}

function parsePort(value: string, problems: string[]): number | undefined {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 1 || port > 65535) {
    problems.push(`PORT: "${value}" is not a port number (1–65535)`);
    return undefined;
  }
  return port;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Names a group of variables that only make sense together: all or none. */
function requireTogether(get: (n: string) => string | undefined, names: string[], problems: string[]): boolean {
  const present = names.filter((n) => get(n) !== undefined);
  if (present.length === 0) return false;
  for (const name of names) {
    if (get(name) === undefined) problems.push(`${name}: required when ${present.join(', ')} ${present.length > 1 ? 'are' : 'is'} set`);
  }
  return present.length === names.length;
}

function parseAgentId(name: string, value: string | undefined, problems: string[]): number {
  if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  if (value !== undefined) problems.push(`${name}: must be the app's numeric AgentId`);
  return 0;
}

function readWecom(get: (n: string) => string | undefined, problems: string[]): WecomSettings | null {
  const complete = requireTogether(get, ['WECOM_CORP_ID', 'WECOM_CORP_SECRET', 'WECOM_AGENT_ID'], problems);
  const agentId = parseAgentId('WECOM_AGENT_ID', get('WECOM_AGENT_ID'), problems);
  const callback = requireTogether(get, ['WECOM_TOKEN', 'WECOM_ENCODING_AES_KEY'], problems);
  const aesKey = get('WECOM_ENCODING_AES_KEY');
  if (aesKey !== undefined && !/^[A-Za-z0-9]{43}$/.test(aesKey)) {
    problems.push('WECOM_ENCODING_AES_KEY: must be exactly 43 letters and digits');
  }
  const apiBase = (get('WECOM_API_BASE') ?? 'https://qyapi.weixin.qq.com').replace(/\/+$/, '');
  if (!isHttpUrl(apiBase)) problems.push('WECOM_API_BASE: must be an http(s) URL');
  if (!complete) return null;
  return {
    corpId: get('WECOM_CORP_ID')!,
    corpSecret: get('WECOM_CORP_SECRET')!,
    agentId,
    token: callback ? get('WECOM_TOKEN')! : null,
    encodingAesKey: callback ? aesKey! : null,
    apiBase,
  };
}

function readDingtalk(get: (n: string) => string | undefined, problems: string[]): DingtalkSettings | null {
  const complete = requireTogether(get, ['DINGTALK_APP_KEY', 'DINGTALK_APP_SECRET', 'DINGTALK_AGENT_ID'], problems);
  const agentId = parseAgentId('DINGTALK_AGENT_ID', get('DINGTALK_AGENT_ID'), problems);
  const callback = requireTogether(get, ['DINGTALK_TOKEN', 'DINGTALK_AES_KEY'], problems);
  const aesKey = get('DINGTALK_AES_KEY');
  if (aesKey !== undefined && !/^[A-Za-z0-9]{43}$/.test(aesKey)) {
    problems.push('DINGTALK_AES_KEY: must be exactly 43 letters and digits');
  }
  const apiBase = (get('DINGTALK_API_BASE') ?? 'https://api.dingtalk.com').replace(/\/+$/, '');
  const oapiBase = (get('DINGTALK_OAPI_BASE') ?? 'https://oapi.dingtalk.com').replace(/\/+$/, '');
  if (!isHttpUrl(apiBase)) problems.push('DINGTALK_API_BASE: must be an http(s) URL');
  if (!isHttpUrl(oapiBase)) problems.push('DINGTALK_OAPI_BASE: must be an http(s) URL');
  if (!complete) return null;
  return {
    appKey: get('DINGTALK_APP_KEY')!,
    appSecret: get('DINGTALK_APP_SECRET')!,
    agentId,
    corpId: get('DINGTALK_CORP_ID') ?? null,
    token: callback ? get('DINGTALK_TOKEN')! : null,
    aesKey: callback ? aesKey! : null,
    cardTemplateId: get('DINGTALK_CARD_TEMPLATE_ID') ?? null,
    cardRouteKey: get('DINGTALK_CARD_ROUTE_KEY') ?? null,
    cardApiSecret: get('DINGTALK_CARD_API_SECRET') ?? null,
    apiBase,
    oapiBase,
  };
}
