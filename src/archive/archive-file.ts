import { DateTime } from 'luxon';
import { EntityManager } from 'typeorm';
import { METHOD_LABELS } from '../../cards/components/labels';
import { Office, Resident, StaffMember, Visit, VisitAssignee, WorkOrder } from '../../entities';
import { formLabel, KIND_FORM_LABELS, STATUS_FORM_LABELS } from '../reports/form-labels';
import { QuarterlyFigures } from '../reports/quarterly-stats';
import { QuarterlyReviewState } from '../reports/quarterly-review.service';
import { addTableSheets, newWorkbook, workbookBytes } from '../reports/report-tables.xlsx';
import { ReportTable, statsTables } from '../reports/stats-tables';
import { SHORTCOMING_LABELS } from '../rules/shortcomings';

/** The purpose of a special service's visits, as the record form says it. */
const PURPOSE_WORDS: Record<string, string> = { main: '', mid_contract: '合同期中', after_contract: '合同期满' };

/**
 * The archive file of a quarter (SOP 4.8): one XLSX with every visit record of the quarter
 * (业户走访回访记录表: the five answers, confirmations, review and handling, with the
 * resident's name and phone as they are stored) followed by the sheets of the quarterly
 * statistics. After anonymisation it is rebuilt from the anonymised rows, so it carries no
 * more personal data than the database does.
 */
export async function buildArchiveFile(
  manager: EntityManager,
  input: { office: Office; zone: string; quarter: string; figures: QuarterlyFigures; review: QuarterlyReviewState },
): Promise<Buffer> {
  const workbook = await newWorkbook();
  addTableSheets(workbook, [await recordsTable(manager, input.office.id, input.quarter, input.zone)]);
  addTableSheets(workbook, statsTables(input.figures, input.review, input.office.name));
  return workbookBytes(workbook);
}

async function recordsTable(manager: EntityManager, officeId: string, quarter: string, zone: string): Promise<ReportTable> {
  const rows = await manager
    .createQueryBuilder(Visit, 'v')
    .leftJoinAndMapOne('v.workOrder', WorkOrder, 'w', 'w.id = v.workOrderId')
    .leftJoinAndMapOne('v.resident', Resident, 'r', 'r.officeId = v.officeId AND r.id = v.residentId')
    .where('v.officeId = :officeId AND v.quarter = :quarter', { officeId, quarter })
    .orderBy('v.id', 'ASC')
    .getMany();
  const assignees = await manager
    .createQueryBuilder(VisitAssignee, 'a')
    .leftJoinAndMapOne('a.staff', StaffMember, 's', 's.officeId = a.officeId AND s.id = a.staffId')
    .innerJoin(Visit, 'v', 'v.id = a.visitId')
    .where('v.officeId = :officeId AND v.quarter = :quarter', { officeId, quarter })
    .orderBy('a.staffId', 'ASC')
    .getMany();
  const visitors = new Map<number, string[]>();
  for (const a of assignees) {
    const staff = (a as VisitAssignee & { staff?: StaffMember }).staff;
    visitors.set(a.visitId, [...(visitors.get(a.visitId) ?? []), staff ? `${staff.name}(${a.staffId})` : a.staffId]);
  }
  // Why the zone: the record form shows the office's wall-clock times.
  const local = (at: Date | null) => (at ? DateTime.fromJSDate(at, { zone }).toFormat('yyyy-MM-dd HH:mm') : null);
  const yesNo = (value: boolean | null) => (value === null ? null : value ? '是' : '否');
  return {
    title: '回访记录',
    headers: [
      '回访编号', '工单号', '工单标题', '类别', '回访目的', '房号', '业户编号', '业户姓名', '联系电话',
      '回访开始', '回访截止', '状态', '回访方式', '回访人员', '记录时间', '记录人', '逾期', '质量评价',
      '服务效果评价', '满意程度评价', '缺点与不足', '缺点说明', '建议', '问题已解决', '备注', '住户确认时间',
      '员工确认时间', '结论', '审核人', '审核时间', '审核意见', '处理人', '处理时间', '处理意见', '取消原因',
    ],
    rows: rows.map((row) => {
      const v = row as Visit & { workOrder?: WorkOrder | null; resident?: Resident | null };
      return [
        v.id,
        v.workOrderId,
        v.workOrder?.title ?? null,
        formLabel(KIND_FORM_LABELS, v.kind),
        PURPOSE_WORDS[v.purpose] ?? v.purpose,
        v.unitId,
        v.residentId,
        v.resident?.name ?? null,
        v.resident?.phone ?? null,
        local(v.opensAt),
        local(v.closesAt),
        formLabel(STATUS_FORM_LABELS, v.status),
        v.method ? formLabel(METHOD_LABELS, v.method) : null,
        (visitors.get(v.id) ?? []).join('、') || null,
        local(v.recordedAt),
        v.recordedBy,
        v.recordedAt ? yesNo(v.late) : null,
        v.quality,
        v.effect,
        v.satisfaction,
        (v.shortcomings ?? []).map((code) => formLabel(SHORTCOMING_LABELS, code)).join('、') || null,
        v.shortcomingsText,
        v.suggestions,
        yesNo(v.solved),
        v.notes,
        local(v.residentConfirmedAt),
        local(v.staffConfirmedAt),
        v.verdict === 'unqualified' ? '不合格' : v.verdict === 'ok' ? '合格' : null,
        v.reviewerId,
        local(v.reviewedAt),
        v.reviewOpinion,
        v.handlerId,
        local(v.handledAt),
        v.handlingOpinion,
        v.cancelReason,
      ];
    }),
  };
}
