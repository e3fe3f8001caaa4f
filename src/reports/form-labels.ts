import type { QuarterlyDecision, VisitStatus } from '../../entities';
import type { WorkOrderKind } from '../rules/kinds';

/*
 * The words of the paper forms (走访回访统计表, 业户走访回访记录表) for the codes the
 * exports show. Stored codes never change; these are for files people read.
 */

/** Work-order kind as docs/rules.md §2's table names it. */
export const KIND_FORM_LABELS: Readonly<Record<WorkOrderKind, string>> = Object.freeze({
  complaint: '投诉',
  repair: '维修服务',
  repair_works: '维修工程',
  special_service: '特约服务',
  help: '求助服务',
  emergency: '急救病人',
  activity: '报刊杂志发行/文体活动',
  other: '其他管理服务',
});

/** Work-order kind in a word, for lines and table cells of summaries and notices. */
export const KIND_SHORT_LABELS: Readonly<Record<WorkOrderKind, string>> = Object.freeze({
  complaint: '投诉',
  repair: '维修',
  repair_works: '维修工程',
  special_service: '特约服务',
  help: '求助',
  emergency: '急救',
  activity: '活动',
  other: '其他',
});

/** A share 0–1 as a whole percentage; "—" when there is none (nothing was eligible). */
export function percentText(value: number | null): string {
  return value === null ? '—' : `${Math.round(value * 100)}%`;
}

/** Visit status (docs/rules.md §4). */
export const STATUS_FORM_LABELS: Readonly<Record<VisitStatus, string>> = Object.freeze({
  planned: '已计划',
  due: '待回访',
  in_progress: '回访中',
  recorded: '已记录',
  reviewed: '已审核',
  closed: '已关闭',
  overdue: '逾期',
  unqualified: '不合格',
  escalated: '已上报经理',
  handled: '已处理',
  resolved: '已解决',
  cancelled: '已取消',
  unassigned: '待指派',
});

/** The manager's decision on the quarter's statistics (SOP 4.7). */
export const DECISION_FORM_LABELS: Readonly<Record<QuarterlyDecision, string>> = Object.freeze({
  no_action: '无需措施',
  nonconformity: '不合格控制程序',
  corrective_action: '纠正预防控制程序',
});

/** A label for a code, or the code itself when it has none. */
export function formLabel(labels: Readonly<Record<string, string>>, code: string | null | undefined): string {
  if (code === null || code === undefined) return '';
  return labels[code] ?? code;
}
