import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { DateTime } from 'luxon';
import { CallerFigures, CampaignReport } from './campaign-report';

const CSS = `
body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0 auto; max-width: 48rem; padding: 1rem; color: #1f2329; background: #f4f5f7; }
h1 { font-size: 1.3rem; margin: .2rem 0; } h2 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
.meta { color: #646a73; font-size: .9rem; }
table { width: 100%; border-collapse: collapse; background: #fff; font-size: .9rem; }
th, td { padding: .45rem .4rem; text-align: left; border-bottom: 1px solid #eef0f3; } th { background: #f8f9fb; color: #646a73; }
ul { background: #fff; margin: 0; padding: .6rem .6rem .6rem 1.6rem; font-size: .9rem; }
textarea, select { width: 100%; font: inherit; padding: .5rem; margin: .3rem 0; box-sizing: border-box; }
textarea { min-height: 6rem; }
button { width: 100%; padding: .8rem; font-size: 1rem; background: #1a7f37; color: #fff; border: 0; border-radius: .4rem; }
.error { color: #c0262d; font-weight: bold; } .done { color: #1a7f37; font-weight: bold; }
`;

/** The report page's Content-Security-Policy: its own CSS, no script. */
export const CAMPAIGN_REPORT_PAGE_POLICY = pagePolicy({ styles: [CSS] });

const average = (value: number | null) => (value === null ? '—' : value.toFixed(2));

function FigureCells({ f }: { f: CallerFigures }) {
  return (
    <>
      <td>{f.planned}</td>
      <td>{f.missing}</td>
      <td>{f.made}</td>
      <td>{f.reached}</td>
      <td>{f.validInquiries}</td>
      <td>{average(f.satisfactionAvg)}</td>
      <td>{f.problems}</td>
    </>
  );
}

/**
 * The weekly report page (客户回访报告) behind the chat message's signed link: per caller the
 * figures, the problems customers raised, the guidance given so far, and — for a supervisor —
 * a plain form (no script) to write guidance, for every caller or one.
 */
export function campaignReportPage(props: { report: CampaignReport; mayGuide: boolean; notice?: { error?: string; saved?: boolean } }): string {
  const { report } = props;
  const nameOf = (staffId: string | null) => (staffId === null ? '全部回访员' : (report.callers.find((c) => c.staffId === staffId)?.name ?? staffId));
  const local = (iso: string) => DateTime.fromISO(iso, { zone: report.timeZone }).toFormat('M月d日 HH:mm');
  return renderDocument(
    <Document title={`客户回访报告 ${report.week}`} css={CSS} head={<meta name="robots" content="noindex" />}>
      <h1>客户回访报告 {report.week}</h1>
      <div class="meta">
        {report.campaignName} · {report.from} — {report.to} · {report.reviewed ? '已审阅' : '待审阅'}
      </div>
      <h2>回访员</h2>
      <table>
        <tr>
          <th>回访员</th><th>计划</th><th>未记录</th><th>已回访</th><th>联系上</th><th>有效询盘</th><th>满意度</th><th>问题</th>
        </tr>
        {report.callers.map((c) => (
          <tr>
            <td>{c.name ?? c.staffId}</td>
            <FigureCells f={c} />
          </tr>
        ))}
        <tr>
          <th>合计</th>
          <FigureCells f={report.totals} />
        </tr>
      </table>
      <h2>客户提出的问题（{report.problems.length}）</h2>
      {report.problems.length === 0 ? (
        <p class="meta">本周无</p>
      ) : (
        <ul>
          {report.problems.map((p) => (
            <li>
              {p.customer ?? `#${p.visitId}`}（{nameOf(p.staffId)}）：
              {[p.complaints, p.opinions.presale && `售前：${p.opinions.presale}`, p.opinions.sale && `售中：${p.opinions.sale}`, p.opinions.aftersale && `售后：${p.opinions.aftersale}`]
                .filter(Boolean)
                .join('；')}
            </li>
          ))}
        </ul>
      )}
      <h2>指导意见</h2>
      {report.guidance.length === 0 ? (
        <p class="meta">尚无</p>
      ) : (
        <ul>
          {report.guidance.map((g) => (
            <li>
              {local(g.at)} {g.byName ?? g.by} → {nameOf(g.staffId)}：{g.text}
            </li>
          ))}
        </ul>
      )}
      {props.notice?.saved ? <p class="done">指导意见已发送给回访员。</p> : null}
      {props.notice?.error ? <p class="error">{props.notice.error}</p> : null}
      {props.mayGuide ? (
        <form method="post">
          <h2>写指导意见</h2>
          <select name="staffId">
            <option value="">全部回访员</option>
            {report.callers.map((c) => (
              <option value={c.staffId}>{c.name ?? c.staffId}</option>
            ))}
          </select>
          <textarea name="text" maxLength={4000} required />
          <button type="submit">发送指导意见</button>
        </form>
      ) : null}
    </Document>,
  );
}

/** A one-line page in place of the report: a link that is not good, a campaign that is gone. */
export function campaignNoticePage(message: string): string {
  return renderDocument(
    <Document title="客户回访报告">
      <p>{message}</p>
    </Document>,
  );
}
