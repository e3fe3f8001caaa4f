import { DataSource } from 'typeorm';
import { Office, Project, Resident, StaffMember, Visit, VisitAssignee, VisitHistoryEntry, VisitStatus, WorkOrder } from '../../entities';
import { METHOD_LABELS, visitKindLabel, VisitMethodCode } from '../../cards/components/labels';
import { formatDueWindow, formatLocalTime } from '../../cards/components/local-time';
import { officeZone } from '../offices/office-zone';
import { referenceOf } from '../visits/visit-context';
import { LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { isWarrantyVisitKind, VisitPurpose, WorkOrderKind } from '../rules/kinds';
import { warrantyAnswerRows } from './warranty-form-view';
import { SHORTCOMING_LABELS, ShortcomingCode } from '../rules/shortcomings';

/** One labelled value of the record as the page shows it. */
export interface ViewRow {
  label: string;
  value: string;
}

/**
 * Everything the staff form shows about one visit, already in the office's words and zone:
 * the pages only lay it out. Free text (suggestions, notes, opinions) is shown in full here,
 * unlike on cards.
 */
export interface StaffFormView {
  visitId: number;
  title: string;
  workOrderId: string;
  /** What `workOrderId` names: 工单, 工程 (a warranty visit's project) or 活动 (a campaign). */
  referenceLabel: string;
  /** A warranty visit (docs/rules.md §7) asks its own questions. */
  warranty: boolean;
  kindLabel: string;
  unit: string;
  window: string;
  status: VisitStatus;
  statusLabel: string;
  late: boolean;
  /** The person the link belongs to. */
  staff: { id: string; name: string };
  /** Whom to call or visit: shown with the record form only. */
  resident: { name: string | null; phone: string | null } | null;
  record: null | {
    methodLabel: string;
    recorderName: string;
    recordedAt: string;
    rows: ViewRow[];
    notes: string | null;
    /** The rules' verdict at recording (docs/rules.md §3): unqualified or not. */
    unqualified: boolean;
    residentConfirmation: string;
    staffConfirmation: string;
  };
  review: null | { reviewerName: string; at: string; verdictLabel: string; opinion: string };
  handling: null | { handlerName: string; at: string; opinion: string };
  history: { at: string; who: string; what: string }[];
}

/** Status words as staff read them (docs/api.md's status values). */
export const STATUS_LABELS: Readonly<Record<VisitStatus, string>> = Object.freeze({
  planned: '未到回访时间',
  due: '待回访',
  in_progress: '回访中',
  recorded: '已记录，待审核',
  reviewed: '已审核',
  closed: '已关闭',
  overdue: '已逾期，待回访',
  unqualified: '不合格，待审核',
  escalated: '不合格，待经理处理',
  handled: '已处理，待住户确认',
  resolved: '已解决',
  cancelled: '已取消',
  unassigned: '未分派，待回访',
});

/** History actions (the codes services write) as the page names them. */
const ACTION_LABELS: Readonly<Record<string, string>> = Object.freeze({
  planned: '计划回访',
  planned_unassigned: '计划回访（未分派）',
  window_opened: '回访时间开始',
  resident_asked: '已向住户发送评价卡片',
  resident_reasked: '再次请住户评价',
  resident_answered: '住户作答',
  resident_silent: '住户未回复，转员工回访',
  suggestion_added: '住户补充建议',
  visit_started: '开始回访',
  resident_unreachable: '联系不上住户',
  survey_link_sent: '在聊天中发送问卷链接',
  recorded: '记录回访',
  resident_confirmed: '住户确认记录',
  resident_disputed: '住户对记录有异议',
  staff_confirmed: '员工确认记录',
  reviewed: '主管审核',
  escalated: '转管理处经理处理',
  handled: '经理填写处理意见',
  closed: '回访关闭',
  overdue: '逾期未回访',
  cancelled: '回访取消',
  opinion_written: '补充意见',
  reassigned: '转交新的保修负责人',
  assigned: '分派回访人员',
});

const VERDICT_LABELS: Readonly<Record<string, string>> = Object.freeze({ ok: '通过', unqualified: '不合格' });

/** Loads one visit as the staff form shows it to `staffId`. Null when the visit is gone. */
export async function loadStaffFormView(
  deps: { dataSource: DataSource; defaultTimeZone: string },
  visitId: number,
  staffId: string,
): Promise<{ view: StaffFormView; visit: Visit; staff: StaffMember | null; assigned: boolean } | null> {
  const db = deps.dataSource;
  const visit = await db.getRepository(Visit).findOneBy({ id: visitId });
  if (!visit) return null;
  const [office, order, resident, assignees, history, people, project] = await Promise.all([
    db.getRepository(Office).findOneBy({ id: visit.officeId }),
    visit.workOrderId ? db.getRepository(WorkOrder).findOneBy({ id: visit.workOrderId }) : Promise.resolve(null),
    visit.residentId ? db.getRepository(Resident).findOneBy({ officeId: visit.officeId, id: visit.residentId }) : Promise.resolve(null),
    db.getRepository(VisitAssignee).find({ where: { visitId }, order: { staffId: 'ASC' } }),
    db.getRepository(VisitHistoryEntry).find({ where: { visitId }, order: { id: 'ASC' } }),
    db.getRepository(StaffMember).find({ where: { officeId: visit.officeId } }),
    visit.projectId ? db.getRepository(Project).findOneBy({ id: visit.projectId }) : Promise.resolve(null),
  ]);
  const warranty = isWarrantyVisitKind(visit.kind);
  const zone = office ? officeZone(office, deps.defaultTimeZone) : deps.defaultTimeZone;
  const names = new Map(people.map((p) => [p.id, p.name]));
  const staff = people.find((p) => p.id === staffId && p.active) ?? null;
  const at = (instant: Date) => formatLocalTime({ at: instant, zone });
  const who = (actor: string | null, kind?: VisitHistoryEntry['actorKind']): string => {
    if (kind === 'system' || actor === 'system') return '系统';
    if (kind === 'resident' || actor?.startsWith('resident:')) return '住户';
    if (kind === 'admin') return '管理员';
    return (actor && names.get(actor)) ?? actor ?? '';
  };

  const view: StaffFormView = {
    visitId: visit.id,
    title: order?.title ?? project?.name ?? referenceOf(visit),
    workOrderId: referenceOf(visit),
    referenceLabel: visit.workOrderId ? '工单' : visit.projectId ? '工程' : visit.campaignId ? '活动' : '回访',
    warranty,
    kindLabel: visitKindLabel(visit.kind as WorkOrderKind, visit.purpose as VisitPurpose),
    unit: visit.unitId ?? '',
    window: formatDueWindow({ from: visit.opensAt, by: visit.closesAt, zone }),
    status: visit.status,
    statusLabel: STATUS_LABELS[visit.status] ?? visit.status,
    late: visit.late,
    staff: { id: staffId, name: names.get(staffId) ?? staffId },
    resident: resident ? { name: resident.name, phone: resident.phone } : null,
    record: visit.recordedAt
      ? {
          methodLabel: METHOD_LABELS[(visit.method ?? 'survey') as VisitMethodCode] ?? visit.method ?? '',
          recorderName: who(visit.recordedBy),
          recordedAt: at(visit.recordedAt),
          rows: warranty ? warrantyAnswerRows(visit) : answerRows(visit),
          notes: visit.notes,
          unqualified: visit.verdict === 'unqualified' || visit.status === VisitStatus.Unqualified,
          residentConfirmation: visit.residentConfirmedAt ? `已确认（${at(visit.residentConfirmedAt)}）` : '待确认',
          staffConfirmation: visit.recordedBy?.startsWith('resident:')
            ? '住户自评，无需确认'
            : visit.staffConfirmedAt
              ? `已确认（${at(visit.staffConfirmedAt)}）`
              : '待确认',
        }
      : null,
    review: visit.reviewedAt
      ? {
          reviewerName: who(visit.reviewerId),
          at: at(visit.reviewedAt),
          verdictLabel: VERDICT_LABELS[visit.verdict ?? ''] ?? '',
          opinion: visit.reviewOpinion ?? '',
        }
      : null,
    handling: visit.handledAt ? { handlerName: who(visit.handlerId), at: at(visit.handledAt), opinion: visit.handlingOpinion ?? '' } : null,
    history: history.map((h) => ({ at: at(h.at), who: who(h.actor, h.actorKind), what: describe(h) })),
  };
  return { view, visit, staff, assigned: assignees.some((a) => a.staffId === staffId) };
}

function answerRows(visit: Visit): ViewRow[] {
  const codes = (visit.shortcomings ?? []) as ShortcomingCode[];
  const shortcomings = codes.map((c) => SHORTCOMING_LABELS[c] ?? c).join('、') || '未填';
  return [
    { label: '质量评价', value: LEVEL_LABELS[visit.quality as 1] ?? '未填' },
    { label: '服务效果评价', value: LEVEL_LABELS[visit.effect as 1] ?? '未填' },
    { label: '满意程度评价', value: SATISFACTION_LABELS[visit.satisfaction as 1] ?? '未填' },
    { label: '缺点与不足', value: visit.shortcomingsText ? `${shortcomings}（${visit.shortcomingsText}）` : shortcomings },
    { label: '建议', value: visit.suggestions || '无' },
    { label: '问题是否已解决', value: visit.solved === true ? '已解决' : visit.solved === false ? '未解决' : '未问' },
  ];
}

/** What one history entry says, with the details that matter (never free text: there is none). */
function describe(entry: VisitHistoryEntry): string {
  const label = ACTION_LABELS[entry.action] ?? entry.action;
  const d = entry.details ?? {};
  if (entry.action === 'recorded') {
    const method = METHOD_LABELS[d.method as VisitMethodCode];
    const extras = [method, d.late ? '逾期' : '', d.unqualified ? '判为不合格' : ''].filter(Boolean);
    return extras.length ? `${label}（${extras.join('，')}）` : label;
  }
  if (entry.action === 'reviewed' || entry.action === 'closed') {
    const verdict = VERDICT_LABELS[String(d.verdict ?? '')];
    return verdict ? `${label}：${verdict}` : label;
  }
  return label;
}

