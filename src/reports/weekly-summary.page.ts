import { escapeHtml } from '../http/html-escape';
import { pagePolicy } from '../http/page-security';
import { KIND_SHORT_LABELS, percentText } from './form-labels';
import { WeeklySummary } from './weekly-summary';
import { warrantySection } from './weekly-warranty.page';
import { VISIT_KIND_LABELS } from '../../cards/components/labels';

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
main{max-width:720px;margin:0 auto;padding:16px}h1{font-size:20px;margin:4px 0}h2{font-size:17px;margin:18px 0 6px}.meta{color:#646a73;font-size:14px}
.totals{display:grid;grid-template-columns:repeat(auto-fit,minmax(96px,1fr));gap:8px;margin:12px 0}.totals div{background:#fff;border-radius:10px;padding:10px;text-align:center}
.totals b{display:block;font-size:22px}table{width:100%;border-collapse:collapse;background:#fff;border-radius:10px;overflow:hidden;font-size:14px}
h3{font-size:16px;margin:12px 0 6px}table+table{margin-top:6px}th,td{padding:8px 6px;text-align:left;border-bottom:1px solid #eef0f3}th{background:#f8f9fb;color:#646a73;font-weight:600}ul{background:#fff;border-radius:10px;margin:0;padding:10px 10px 10px 28px;font-size:14px}
`;

/** The weekly page's Content-Security-Policy: its own CSS, no script. */
export const WEEKLY_PAGE_POLICY = pagePolicy({ styles: [STYLE] });

const kindWord = (kind: string): string => (KIND_SHORT_LABELS as Record<string, string>)[kind] ?? (VISIT_KIND_LABELS as Record<string, string>)[kind] ?? kind;

const average = (value: number | null): string => (value === null ? '—' : value.toFixed(2));

/**
 * The weekly summary as a page (the card's link): one self-contained mobile page — inline
 * CSS, no script — that a supervisor opens in WeCom or DingTalk without an admin token.
 */
export function weeklySummaryPage(summary: WeeklySummary): string {
  const t = summary.totals;
  const kinds = summary.kinds
    .filter((k) => k.eligible > 0 || k.due > 0 || k.done > 0)
    .map((k) => `<tr><td>${escapeHtml((KIND_SHORT_LABELS as Record<string, string>)[k.kind] ?? k.kind)}</td><td>${k.due}</td><td>${k.done}</td><td>${k.onTime}</td><td>${percentText(k.rate)}</td><td>${percentText(k.target)}</td></tr>`)
    .join('');
  const items = (title: string, list: WeeklySummary['overdue']) =>
    list.length === 0
      ? ''
      : `<h2>${escapeHtml(title)}（${list.length}）</h2><ul>${list
          .map((v) => `<li>#${v.visitId} ${escapeHtml(kindWord(v.kind))} · ${escapeHtml(v.title ?? v.reference)} · ${escapeHtml(v.unitId ?? '')} · ${escapeHtml(v.assignees.map((a) => a.name ?? a.staffId).join('、'))}</li>`)
          .join('')}</ul>`;
  const staff = summary.staff
    .map((s) => `<tr><td>${escapeHtml(s.name ?? s.staffId)}</td><td>${s.assigned}</td><td>${s.done}</td><td>${s.onTime}</td><td>${s.overdue}</td><td>${average(s.satisfactionAvg)}</td></tr>`)
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>回访周报 ${escapeHtml(summary.week)}</title><style>${STYLE}</style></head><body><main>
<h1>回访周报 ${escapeHtml(summary.week)}</h1><div class="meta">${escapeHtml(summary.officeName)} · 截至 ${escapeHtml(summary.asOf.slice(0, 10))}</div>
<div class="totals"><div><b>${t.due}</b>应回访</div><div><b>${t.done}</b>已完成</div><div><b>${t.onTime}</b>按时</div><div><b>${t.overdue}</b>逾期</div><div><b>${t.unqualified}</b>不合格</div><div><b>${average(summary.satisfactionAvg)}</b>满意度均分</div></div>
<h2>各类回访（本季度回访率）</h2><table><tr><th>类别</th><th>应回访</th><th>已完成</th><th>按时</th><th>回访率</th><th>目标</th></tr>${kinds || '<tr><td colspan="6">本周无回访</td></tr>'}</table>
${items('不合格回访', summary.unqualified)}${items('逾期回访', summary.overdue)}${items('待住户确认', summary.awaitingConfirmation)}
${warrantySection(summary.warranty, summary.timeZone)}
<h2>员工</h2><table><tr><th>员工</th><th>分派</th><th>完成</th><th>按时</th><th>逾期</th><th>满意度</th></tr>${staff || '<tr><td colspan="6">—</td></tr>'}</table>
</main></body></html>`;
}
