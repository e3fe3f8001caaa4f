import type { StaffRole, VisitPurpose, WarrantyVisitKind, WorkOrderKind } from '../../src/rules/kinds';

/*
 * The Chinese words cards use for the domain's codes (docs/rules.md §2–§3). Stored codes never
 * appear on a card; these labels never appear in storage.
 */

/** Visit kind as staff call it, e.g. `repair` → 维修回访. */
export const VISIT_KIND_LABELS: Readonly<Record<WorkOrderKind | WarrantyVisitKind, string>> = Object.freeze({
  complaint: '投诉回访',
  repair: '维修回访',
  repair_works: '维修工程回访',
  special_service: '特约服务回访',
  help: '求助回访',
  emergency: '急救回访',
  activity: '活动回访',
  other: '其他回访',
  warranty_periodic: '保修定期回访',
  warranty_seasonal: '保修季节性回访',
  warranty_pre_expiry: '保修期满前回访',
  warranty_after_expiry: '保修期满后回访',
  warranty_technical: '保修技术性回访',
});

/** The service a resident is asked about, e.g. `repair` → 维修服务 ("请评价本次维修服务"). */
export const SERVICE_LABELS: Readonly<Record<WorkOrderKind | WarrantyVisitKind, string>> = Object.freeze({
  complaint: '投诉处理',
  repair: '维修服务',
  repair_works: '维修工程',
  special_service: '特约服务',
  help: '求助服务',
  emergency: '急救服务',
  activity: '活动',
  other: '服务',
  warranty_periodic: '工程保修',
  warranty_seasonal: '工程保修',
  warranty_pre_expiry: '工程保修',
  warranty_after_expiry: '工程保修',
  warranty_technical: '工程保修',
});

/** Which of a special service's two visits (docs/rules.md §2); `main` needs no words. */
export const PURPOSE_LABELS: Readonly<Record<VisitPurpose, string>> = Object.freeze({
  main: '',
  mid_contract: '合同期中',
  after_contract: '合同期满',
});

/** How a visit was made (docs/rules.md §3, docs/api.md `method`). */
export type VisitMethodCode = 'phone' | 'onsite' | 'face_to_face' | 'chat' | 'survey' | 'email';

/** Visit method, e.g. `phone` → 电话回访. */
export const METHOD_LABELS: Readonly<Record<VisitMethodCode, string>> = Object.freeze({
  phone: '电话回访',
  onsite: '上门回访',
  face_to_face: '面谈回访',
  chat: '在线回访',
  survey: '问卷回访',
  email: '邮件回访',
});

/** The reminder slots of docs/rules.md §4: window opens, halfway, 09:00 on the last day. */
export type ReminderSlot = 'opened' | 'halfway' | 'last_day';

/** Reminder slot, e.g. `last_day` → 最后一天. */
export const SLOT_LABELS: Readonly<Record<ReminderSlot, string>> = Object.freeze({
  opened: '窗口开启',
  halfway: '已过半',
  last_day: '最后一天',
});

/** `投诉回访` or `特约服务回访（合同期中）`: the kind with the special-service purpose. */
export function visitKindLabel(kind: WorkOrderKind | WarrantyVisitKind, purpose: VisitPurpose = 'main'): string {
  // A pre-expiry warranty visit's purpose is its category: no words of its own here.
  const purposeLabel = PURPOSE_LABELS[purpose] as string | undefined;
  return purposeLabel ? `${VISIT_KIND_LABELS[kind]}（${purposeLabel}）` : VISIT_KIND_LABELS[kind];
}

/** Staff role as the procedures name it, e.g. `dept_head` → 被投诉部门主管. */
export const ROLE_LABELS: Readonly<Record<StaffRole, string>> = Object.freeze({
  specialist: '客户专员',
  supervisor: '客户中心主管',
  dept_head: '被投诉部门主管',
  manager: '管理处经理',
});

export const roleLabel = (role: StaffRole): string => ROLE_LABELS[role];
