import type { VNode } from 'preact';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { KIND_SHORT_LABELS, percentText } from './form-labels';
import { WeeklySummary } from './weekly-summary';
import { WarrantySection } from './weekly-warranty.page';
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
  const totals: [number | string, string][] = [
    [t.due, '应回访'],
    [t.done, '已完成'],
    [t.onTime, '按时'],
    [t.overdue, '逾期'],
    [t.unqualified, '不合格'],
    [average(summary.satisfactionAvg), '满意度均分'],
  ];
  const kinds = summary.kinds.filter((k) => k.eligible > 0 || k.due > 0 || k.done > 0);
  return renderDocument(
    <Document title={`回访周报 ${summary.week}`} css={STYLE} noindex>
      <main>
        <h1>回访周报 {summary.week}</h1>
        <div class="meta">
          {summary.officeName} · 截至 {summary.asOf.slice(0, 10)}
        </div>
        <div class="totals">
          {totals.map(([figure, label]) => (
            <div>
              <b>{figure}</b>
              {label}
            </div>
          ))}
        </div>
        <h2>各类回访（本季度回访率）</h2>
        <Table
          heads={['类别', '应回访', '已完成', '按时', '回访率', '目标']}
          rows={kinds.map((k) => [(KIND_SHORT_LABELS as Record<string, string>)[k.kind] ?? k.kind, k.due, k.done, k.onTime, percentText(k.rate), percentText(k.target)])}
          empty="本周无回访"
        />
        <Visits title="不合格回访" list={summary.unqualified} />
        <Visits title="逾期回访" list={summary.overdue} />
        <Visits title="待住户确认" list={summary.awaitingConfirmation} />
        <WarrantySection projects={summary.warranty} zone={summary.timeZone} />
        <h2>员工</h2>
        <Table
          heads={['员工', '分派', '完成', '按时', '逾期', '满意度']}
          rows={summary.staff.map((s) => [s.name ?? s.staffId, s.assigned, s.done, s.onTime, s.overdue, average(s.satisfactionAvg)])}
          empty="—"
        />
      </main>
    </Document>,
  );
}

function Table({ heads, rows, empty }: { heads: string[]; rows: (string | number)[][]; empty: string }): VNode {
  return (
    <table>
      <tr>
        {heads.map((h) => (
          <th>{h}</th>
        ))}
      </tr>
      {rows.length === 0 ? (
        <tr>
          <td colSpan={heads.length}>{empty}</td>
        </tr>
      ) : (
        rows.map((row) => (
          <tr>
            {row.map((cell) => (
              <td>{cell}</td>
            ))}
          </tr>
        ))
      )}
    </table>
  );
}

/** A list of visits under its heading with their count; nothing when there are none. */
function Visits({ title, list }: { title: string; list: WeeklySummary['overdue'] }): VNode | null {
  if (list.length === 0) return null;
  return (
    <>
      <h2>
        {title}（{list.length}）
      </h2>
      <ul>
        {list.map((v) => (
          <li>
            #{v.visitId} {kindWord(v.kind)} · {v.title ?? v.reference} · {v.unitId ?? ''} · {v.assignees.map((a) => a.name ?? a.staffId).join('、')}
          </li>
        ))}
      </ul>
    </>
  );
}
