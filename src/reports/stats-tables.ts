import { DateTime } from 'luxon';
import { DECISION_FORM_LABELS, formLabel, KIND_FORM_LABELS, STATUS_FORM_LABELS } from './form-labels';
import type { QuarterlyFigures } from './quarterly-stats';
import type { QuarterlyReviewState } from './quarterly-review.service';

/** A cell: text, a number, a share shown as a percentage, or empty. */
export type TableCell = string | number | { percent: number } | null;

/** One table of the paper form: a title (the sheet's name), Chinese column names, rows. */
export interface ReportTable {
  title: string;
  headers: string[];
  rows: TableCell[][];
}

/**
 * The quarterly statistics as the tables of the paper form 走访回访统计表 (SOP 4.7), with its
 * Chinese column names: basic facts, the rates per kind, unqualified visits, repeat
 * complaints, repeat repairs, staff performance, and the review and decision. The CSV and
 * XLSX exports both write exactly these tables, so the two files always agree.
 *
 * Instants are shown on the office's wall clock (`yyyy-MM-dd HH:mm`).
 */
export function statsTables(stats: QuarterlyFigures, review: QuarterlyReviewState, officeName: string): ReportTable[] {
  const local = (iso: string | null): string =>
    // Why the zone: people read the office's local time on the form, never UTC.
    iso === null ? '' : DateTime.fromISO(iso, { zone: stats.timeZone }).toFormat('yyyy-MM-dd HH:mm');
  const lastDay = DateTime.fromISO(stats.to, { zone: stats.timeZone }).minus({ days: 1 }).toFormat('yyyy-MM-dd');
  const share = (value: number | null): TableCell => (value === null ? null : { percent: value });
  return [
    {
      title: '基本信息',
      headers: ['项目', '内容'],
      rows: [
        ['管理处', officeName],
        ['管理处编号', stats.officeId],
        ['季度', stats.quarter],
        ['统计期间', `${DateTime.fromISO(stats.from, { zone: stats.timeZone }).toFormat('yyyy-MM-dd')} 至 ${lastDay}`],
        ['统计时点', local(stats.asOf)],
        ['时区', stats.timeZone],
      ],
    },
    {
      title: '走访回访统计表',
      headers: ['类别', '目标', '应回访数', '抽样回访数', '实回访数', '按时回访数', '回访率', '完成率（含逾期）', '满意度均分'],
      rows: stats.kinds.map((k) => [
        formLabel(KIND_FORM_LABELS, k.kind),
        { percent: k.target },
        k.eligible,
        k.selected,
        k.done,
        k.onTime,
        share(k.rate),
        share(k.doneRate),
        k.satisfactionAvg,
      ]),
    },
    {
      title: '不合格回访',
      headers: ['回访编号', '工单号', '房号', '类别', '记录时间', '满意程度', '状态'],
      rows: stats.unqualified.map((u) => [
        u.visitId,
        u.workOrderId,
        u.unitId,
        formLabel(KIND_FORM_LABELS, u.kind),
        local(u.recordedAt),
        u.satisfaction,
        formLabel(STATUS_FORM_LABELS, u.status),
      ]),
    },
    {
      title: '重复投诉',
      headers: ['房号', '事项', '投诉次数', '工单号'],
      rows: stats.repeatComplaints.map((g) => [g.unitId, g.matterKey, g.count, g.workOrderIds.join('、')]),
    },
    {
      title: '重复维修',
      headers: ['房号', '事项', '维修次数', '工单号'],
      rows: stats.repeatRepairs.map((g) => [g.unitId, g.matterKey, g.count, g.workOrderIds.join('、')]),
    },
    {
      title: '员工绩效',
      headers: ['员工编号', '姓名', '分配回访数', '完成数', '按时数', '逾期数', '满意度均分'],
      rows: stats.staff.map((s) => [s.staffId, s.name, s.assigned, s.done, s.onTime, s.overdue, s.satisfactionAvg]),
    },
    {
      title: '审核与决定',
      headers: ['步骤', '人员', '审核意见', '决定', '说明', '时间'],
      rows: review.history.map((e) => [
        e.step === 'review' ? '主管审核' : '经理决定',
        e.staffId,
        e.opinion,
        formLabel(DECISION_FORM_LABELS, e.decision),
        e.note,
        local(e.at),
      ]),
    },
  ];
}
