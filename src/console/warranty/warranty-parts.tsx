import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { WarrantyRepair } from '../../../entities';
import { WarrantyCategory, WarrantyEnd } from '../../rules/warranty-clock';
import { CATEGORY_SHORT_LABELS } from '../../warranty/warranty-labels';
import { DeadlineState, WarrantyReport } from '../../warranty/warranty-report';

/** How a repair stands against a deadline, in words. */
export const DEADLINE_LABELS: Readonly<Record<DeadlineState, string>> = Object.freeze({ met: '按时', missed: '超时', pending: '未到期' });

export const REPAIR_STATUS_LABELS: Readonly<Record<string, string>> = Object.freeze({
  reported: '已报修',
  on_site: '已到场',
  assessed: '已鉴定',
  done: '已修复',
  signed_off: '业主已签认',
  not_accepted: '业主不满意，返修',
});

/** Each category with its last covered day. */
export function Ends({ ends }: { ends: readonly WarrantyEnd[] }): VNode {
  return (
    <ul class="plain" data-ends>
      {ends.map((e) => (
        <li data-category={e.category}>
          {CATEGORY_SHORT_LABELS[e.category]}：{e.endsOn}
        </li>
      ))}
    </ul>
  );
}

/** The report's repairs with their 24 h on-site and 15-day deadlines, local times. */
export function RepairDeadlines({ report, repairs, zone }: { report: WarrantyReport; repairs: readonly WarrantyRepair[]; zone: string }): VNode {
  const at = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('M月d日 HH:mm');
  if (report.repairs.list.length === 0) return <p class="muted">没有未完成的保修维修。</p>;
  return (
    <ul class="plain">
      {report.repairs.list.map((r) => {
        const repair = repairs.find((x) => x.id === r.id)!;
        return (
          <li data-repair={r.id} data-onsite={r.onSite} data-solved={r.solved}>
            #{r.id} {CATEGORY_SHORT_LABELS[r.category as WarrantyCategory] ?? r.category} · {r.location} · {REPAIR_STATUS_LABELS[r.status] ?? r.status}
            <br />
            <span class={r.onSite === 'missed' ? 'late' : 'muted'}>24小时到场（{at(repair.onSiteBy)}）：{DEADLINE_LABELS[r.onSite]}</span>
            {' · '}
            <span class={r.solved === 'missed' ? 'late' : 'muted'}>15日修复（{at(repair.solveBy)}）：{DEADLINE_LABELS[r.solved]}</span>
          </li>
        );
      })}
    </ul>
  );
}
