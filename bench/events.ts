import { signWebhook } from '../src/workorders/webhook-signature';

/** Credentials the servers under test are started with (loopback only, throwaway). */
export const BENCH_WEBHOOK_SECRET = 'bench-webhook-secret-0123456789';
export const BENCH_ADMIN_TOKEN = 'bench-admin-token-0123456789';
export const WEBHOOK_PATH = '/webhooks/work-orders';

/**
 * The office every event goes to: a supervisor, a manager, four specialists and the
 * engineering head, all reachable in WeCom, so no visit is left unassigned. `help` is set to
 * 100 % (complaints are 100 % by default) so that every completion plans exactly one visit
 * and the run can check visits against accepted requests.
 */
export const BENCH_OFFICE_ID = 'office-1';
export const BENCH_OFFICE = {
  name: '一号物业服务中心',
  timeZone: 'Asia/Shanghai',
  channel: 'wecom',
  rateTargets: { help: 1 },
  staff: [
    { id: 'sup1', name: '李主管', roles: ['supervisor'], wecomUserId: 'lizhuguan' },
    { id: 'mgr1', name: '王经理', roles: ['manager'], wecomUserId: 'wangjingli' },
    { id: 'sp1', name: '赵专员', roles: ['specialist'], wecomUserId: 'zhaozhuanyuan' },
    { id: 'sp2', name: '钱专员', roles: ['specialist'], wecomUserId: 'qianzhuanyuan' },
    { id: 'sp3', name: '孙专员', roles: ['specialist'], wecomUserId: 'sunzhuanyuan' },
    { id: 'sp4', name: '周专员', roles: ['specialist'], wecomUserId: 'zhouzhuanyuan' },
    { id: 'eng1', name: '吴工', roles: ['dept_head'], department: 'engineering', wecomUserId: 'wugong' },
  ],
};

const HELP_MATTERS = [
  ['door-lock', '入户门锁打不开'],
  ['parcel', '代收快递'],
  ['water-bill', '水费查询'],
  ['parking', '临时停车登记'],
] as const;
const COMPLAINT_MATTERS = [
  ['elevator-noise', '电梯异响'],
  ['corridor-light', '楼道灯不亮'],
  ['noise-neighbour', '邻居装修噪音'],
] as const;

/**
 * The `seq`-th event of a run: a `work_order.completed` of a new work order (unique eventId
 * and work-order id), alternately a general complaint to engineering (visited by the
 * engineering head and a specialist) and a help request (a specialist). Residents and units
 * repeat over a few thousand, as in a real estate.
 */
export function benchEvent(
  runTag: string,
  seq: number,
  now: Date,
  options: { offices?: number; randomIds?: boolean } = {},
): Record<string, unknown> {
  const complaint = seq % 2 === 0;
  const [matterKey, title] = complaint ? COMPLAINT_MATTERS[seq % COMPLAINT_MATTERS.length] : HELP_MATTERS[seq % HELP_MATTERS.length];
  const unitNo = seq % 4000;
  const unitId = `B${1 + (unitNo % 20)}-${String(100 + Math.floor(unitNo / 20)).padStart(4, '0')}`;
  const residentId = `R-${unitNo}`;
  // Completed a few minutes ago, the way a work-order system reports it.
  const completedAt = new Date(now.getTime() - 5 * 60_000).toISOString();
  const offices = options.offices ?? 1;
  const officeId = offices > 1 ? officeIdOf(seq % offices) : BENCH_OFFICE_ID;
  // Work-order systems number their orders in sequence (WO-2026-000123), so new ids land at
  // the end of the primary key; randomIds spreads them over the index instead (an experiment).
  const woId = options.randomIds ? `WO-BENCH-${runTag}-${scramble(seq)}-${seq}` : `WO-BENCH-${runTag}-${String(seq).padStart(9, '0')}`;
  return {
    eventId: `evt-bench-${runTag}-${seq}`,
    type: 'work_order.completed',
    occurredAt: completedAt,
    workOrder: {
      id: woId,
      officeId,
      kind: complaint ? 'complaint' : 'help',
      severity: complaint ? 'general' : null,
      department: complaint ? 'engineering' : null,
      matterKey,
      title,
      unitId,
      resident: {
        id: residentId,
        name: '业主',
        phone: `138${String(10_000_000 + unitNo).slice(-8)}`,
        wecomUserId: `resident-${unitNo}`,
        wecomExternalUserId: null,
        dingtalkUserId: null,
      },
      completedAt,
      contract: null,
    },
  };
}

/** The i-th office when the load is spread over several (BENCH_OFFICES). */
export function officeIdOf(i: number): string {
  return i === 0 ? BENCH_OFFICE_ID : `office-${i + 1}`;
}

/** A fixed pseudo-random 8-hex-digit prefix for a sequence number. */
function scramble(seq: number): string {
  return (Math.imul(seq ^ 0x5bd1e995, 0x9e3779b1) >>> 0).toString(16).padStart(8, '0');
}

/** Body and headers of one signed webhook call (docs/api.md), timestamped now. */
export function signedWebhookCall(secret: string, event: unknown, nowMs = Date.now()): { body: string; headers: Record<string, string> } {
  const body = JSON.stringify(event);
  const timestamp = String(Math.floor(nowMs / 1000));
  return {
    body,
    headers: {
      'content-type': 'application/json',
      'x-timestamp': timestamp,
      'x-signature': signWebhook(secret, timestamp, body),
    },
  };
}
