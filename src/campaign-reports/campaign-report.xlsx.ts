import { DateTime } from 'luxon';
import { addTableSheets, newWorkbook, workbookBytes } from '../reports/report-tables.xlsx';
import type { ReportTable } from '../reports/stats-tables';
import { CallerFigures, CampaignReport } from './campaign-report';

const FIGURE_HEADERS = ['计划回访', '未记录', '已回访', '已联系上', '有效询盘', '满意度均分', '提出问题'];

const figures = (f: CallerFigures) => [f.planned, f.missing, f.made, f.reached, f.validInquiries, f.satisfactionAvg, f.problems];

/** The weekly report as the tables of 客户回访报告: per caller, the problems raised, the guidance. */
export function campaignReportTables(report: CampaignReport): ReportTable[] {
  const nameOf = (staffId: string | null) => (staffId === null ? '全部' : (report.callers.find((c) => c.staffId === staffId)?.name ?? staffId));
  return [
    {
      title: '客户回访报告',
      headers: ['活动', '周', '回访员', ...FIGURE_HEADERS],
      rows: [
        ...report.callers.map((c) => [report.campaignName, report.week, c.name ?? c.staffId, ...figures(c)]),
        [report.campaignName, report.week, '合计', ...figures(report.totals)],
      ],
    },
    {
      title: '客户提出的问题',
      headers: ['回访', '回访员', '客户', '投诉与疑问', '售前', '售中', '售后'],
      rows: report.problems.map((p) => [p.visitId, nameOf(p.staffId), p.customer, p.complaints, p.opinions.presale, p.opinions.sale, p.opinions.aftersale]),
    },
    {
      title: '指导意见',
      headers: ['时间', '主管', '给', '指导意见'],
      rows: report.guidance.map((g) => [DateTime.fromISO(g.at, { zone: report.timeZone }).toFormat('yyyy-MM-dd HH:mm'), g.byName ?? g.by, nameOf(g.staffId), g.text]),
    },
  ];
}

/** The weekly report as an XLSX workbook. */
export async function campaignReportXlsx(report: CampaignReport): Promise<Buffer> {
  const workbook = await newWorkbook();
  addTableSheets(workbook, campaignReportTables(report));
  return workbookBytes(workbook);
}
