import { DateTime } from 'luxon';
import type { Severity, WorkOrderKind } from '../rules/kinds';
import { DEMO_DEPARTMENT, DEMO_OFFICE_ID, DEMO_RESIDENTS, DemoResident } from './demo-office';

/** A work-order event in docs/api.md's shape, as the work-order system would POST it. */
export interface DemoWorkOrderEvent {
  eventId: string;
  type: 'work_order.created' | 'work_order.completed';
  occurredAt: string;
  workOrder: {
    id: string;
    officeId: string;
    kind: WorkOrderKind;
    severity: Severity | null;
    department: string | null;
    matterKey: string;
    title: string;
    unitId: string;
    resident: { id: string; name: string; phone: string; wecomUserId: string; wecomExternalUserId: null; dingtalkUserId: null };
    completedAt: string | null;
    contract: { startAt: string; endAt: string } | null;
  };
}

/** One line of the demo week: when (days before today, local time), what, for whom. */
interface DemoLine {
  daysAgo: number;
  at: string;
  kind: WorkOrderKind;
  severity?: Severity;
  title: string;
  matterKey: string;
  resident: string;
  /** Special services: the contract, in whole days from today (negative: past). */
  contract?: { startDay: number; endDay: number };
  /** A special service still running arrives `created` (its visits are planned from the contract). */
  running?: boolean;
}

/**
 * The week: every kind, both complaint severities, special services with contracts (one
 * running, one just ended), each of the twenty residents at least once. Picked so that after
 * the jobs run the list shows visits planned (repair works open a month on), due, overdue
 * (complaints older than three days) and not selected by sampling (activities at 20 %). 张三
 * only has a repair-works visit a month out, so his chat stays empty until the newcomer's own
 * repair.
 */
const WEEK: readonly DemoLine[] = [
  { daysAgo: 6, at: '09:40', kind: 'complaint', severity: 'general', title: '地下车库照明不足', matterKey: 'garage-lighting', resident: 'R-01' },
  { daysAgo: 6, at: '15:00', kind: 'repair', title: '卫生间下水堵塞', matterKey: 'bathroom-drain', resident: 'R-06' },
  { daysAgo: 6, at: '08:50', kind: 'help', title: '钥匙反锁求助', matterKey: 'locked-out', resident: 'R-13' },
  { daysAgo: 6, at: '19:00', kind: 'activity', title: '社区游园会', matterKey: 'community-fair', resident: 'R-16' },
  { daysAgo: 7, at: '10:00', kind: 'special_service', title: '别墅花园养护（季度合同）', matterKey: 'garden-care', resident: 'R-19', contract: { startDay: -45, endDay: 45 }, running: true },
  { daysAgo: 5, at: '14:20', kind: 'complaint', severity: 'major', title: '楼上漏水殃及天花板', matterKey: 'ceiling-leak', resident: 'R-02' },
  { daysAgo: 5, at: '10:20', kind: 'repair', title: '入户门锁损坏', matterKey: 'door-lock', resident: 'R-07' },
  { daysAgo: 5, at: '22:30', kind: 'emergency', title: '住户突发胸痛送医', matterKey: 'chest-pain', resident: 'R-14' },
  { daysAgo: 4, at: '09:30', kind: 'complaint', severity: 'general', title: '垃圾清运不及时', matterKey: 'garbage-pickup', resident: 'R-05' },
  { daysAgo: 4, at: '17:10', kind: 'repair', title: '客厅灯具不亮', matterKey: 'living-room-light', resident: 'R-10' },
  { daysAgo: 4, at: '11:40', kind: 'other', title: '代收快递', matterKey: 'parcel', resident: 'R-18' },
  { daysAgo: 3, at: '10:15', kind: 'repair_works', title: '厨房上下水管改造', matterKey: 'kitchen-pipes', resident: 'R-88' },
  { daysAgo: 3, at: '20:15', kind: 'help', title: '老人摔倒求助', matterKey: 'elderly-fall', resident: 'R-12' },
  { daysAgo: 3, at: '10:00', kind: 'activity', title: '《业主之家》第四期发行', matterKey: 'newsletter', resident: 'R-17' },
  { daysAgo: 2, at: '11:05', kind: 'complaint', severity: 'general', title: '电梯异响', matterKey: 'elevator-noise', resident: 'R-03' },
  { daysAgo: 2, at: '09:10', kind: 'repair', title: '空调外机异响', matterKey: 'ac-noise', resident: 'R-08' },
  { daysAgo: 2, at: '16:00', kind: 'special_service', title: '老人陪护（两周）', matterKey: 'elder-care', resident: 'R-11', contract: { startDay: -16, endDay: -2 } },
  { daysAgo: 2, at: '15:20', kind: 'other', title: '公共区域绿化补种', matterKey: 'replanting', resident: 'R-06' },
  { daysAgo: 1, at: '16:40', kind: 'complaint', severity: 'major', title: '装修噪音扰民', matterKey: 'renovation-noise', resident: 'R-04' },
  { daysAgo: 1, at: '10:30', kind: 'complaint', severity: 'general', title: '快递柜占用消防通道', matterKey: 'fire-lane', resident: 'R-07' },
  { daysAgo: 1, at: '13:30', kind: 'repair', title: '阳台推拉门维修', matterKey: 'balcony-door', resident: 'R-09' },
  { daysAgo: 1, at: '07:45', kind: 'emergency', title: '儿童烫伤紧急处理', matterKey: 'burn', resident: 'R-15' },
  { daysAgo: 1, at: '18:20', kind: 'help', title: '宠物走失求助', matterKey: 'lost-pet', resident: 'R-09' },
];

/**
 * The demo's week of work-order events ending at `now`, oldest first, for the demo office.
 * Pure: dates are `daysAgo` calendar days before `now`'s date in `zone` at the line's local
 * time. Ids carry that local date, so seeding twice on one day sends the same events (the
 * webhook answers `duplicate`), and seeding on another day adds that day's week.
 */
export function demoWeek(now: Date, zone: string): DemoWorkOrderEvent[] {
  // Why the zone: "yesterday at 16:40" is a time on the office's wall clock.
  const today = DateTime.fromJSDate(now, { zone }).startOf('day');
  const stamp = today.toFormat('yyyyLLdd');
  const residents = new Map(DEMO_RESIDENTS.map((r) => [r.id, r]));
  const events = WEEK.map((line, index) => {
    const [hour, minute] = line.at.split(':').map(Number);
    const at = today.minus({ days: line.daysAgo }).set({ hour, minute });
    const iso = at.toUTC().toISO({ suppressMilliseconds: true })!;
    const who = residents.get(line.resident)!;
    const n = String(index + 1).padStart(2, '0');
    const contract = line.contract
      ? {
          startAt: today.plus({ days: line.contract.startDay }).set({ hour: 9 }).toUTC().toISO({ suppressMilliseconds: true })!,
          endAt: today.plus({ days: line.contract.endDay }).set({ hour: 18 }).toUTC().toISO({ suppressMilliseconds: true })!,
        }
      : null;
    // A contract that ended is completed at its end; a running one arrives as created.
    const completedAt = line.running ? null : contract ? contract.endAt : iso;
    const event: DemoWorkOrderEvent = {
      eventId: `demo-${stamp}-${n}`,
      type: line.running ? 'work_order.created' : 'work_order.completed',
      occurredAt: completedAt ?? iso,
      workOrder: {
        id: `WO-DEMO-${stamp}-${n}`,
        officeId: DEMO_OFFICE_ID,
        kind: line.kind,
        severity: line.severity ?? null,
        department: line.kind === 'complaint' ? DEMO_DEPARTMENT : null,
        matterKey: line.matterKey,
        title: line.title,
        unitId: who.unitId,
        resident: residentOf(who),
        completedAt,
        contract,
      },
    };
    return event;
  });
  return events.sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt));
}

/** A demo resident as the webhook's `resident` object. */
export function residentOf(who: DemoResident): DemoWorkOrderEvent['workOrder']['resident'] {
  return { id: who.id, name: who.name, phone: who.phone, wecomUserId: who.wecomUserId, wecomExternalUserId: null, dingtalkUserId: null };
}
