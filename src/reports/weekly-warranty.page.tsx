import type { VNode } from 'preact';
import { CATEGORY_SHORT_LABELS } from '../warranty/warranty-labels';
import { SummaryDeadlineState, SummaryWarrantyProject } from './weekly-summary';

/** A deadline of an open repair as the summary says it: on-site or solved, met, late or still due. */
export const DEADLINE_WORDS: Readonly<Record<'onSite' | 'solved', Record<SummaryDeadlineState, string>>> = Object.freeze({
  onSite: { met: '已按时到场', missed: '到场超时', pending: '待到场' },
  solved: { met: '已按时修复', missed: '修复超时', pending: '待修复' },
});

export const categoryWord = (category: string): string => (CATEGORY_SHORT_LABELS as Record<string, string>)[category] ?? category;

/** One project's line: what ends soon and how its open repairs stand. */
export function warrantyLine(project: SummaryWarrantyProject): { expiring: string; repairs: string } {
  const expiring = project.expiring.map((e) => `${categoryWord(e.category)} ${e.endsOn} 到期`).join('，');
  const late = (key: 'onSite' | 'solved') => project.openRepairs.filter((r) => r[key] === 'missed').length;
  const lateWords = [late('onSite') ? `${DEADLINE_WORDS.onSite.missed} ${late('onSite')}` : '', late('solved') ? `${DEADLINE_WORDS.solved.missed} ${late('solved')}` : ''].filter(Boolean);
  const repairs = project.openRepairs.length === 0 ? '' : `未完维修 ${project.openRepairs.length}${lateWords.length ? `（${lateWords.join('，')}）` : ''}`;
  return { expiring, repairs };
}

/** The weekly page's warranty section: per project, the categories ending soon and each open repair. */
export function WarrantySection({ projects, zone }: { projects: readonly SummaryWarrantyProject[]; zone: string }): VNode | null {
  if (projects.length === 0) return null;
  const local = (iso: string) => new Intl.DateTimeFormat('zh-CN', { timeZone: zone, month: 'numeric', day: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
  return (
    <>
      <h2>工程保修（{projects.length}）</h2>
      {projects.map((p) => (
        <>
          <h3>
            {p.name} <span class="meta">负责人 {p.lead.name ?? p.lead.staffId}</span>
          </h3>
          {p.expiring.length > 0 ? (
            <table data-expiring={p.projectId}>
              <tr>
                <th>保修项目</th>
                <th>保修截止</th>
                <th>剩余</th>
              </tr>
              {p.expiring.map((e) => (
                <tr>
                  <td>{categoryWord(e.category)}</td>
                  <td>{e.endsOn}</td>
                  <td>{e.daysLeft} 天</td>
                </tr>
              ))}
            </table>
          ) : null}
          {p.openRepairs.length > 0 ? (
            <table data-repairs={p.projectId}>
              <tr>
                <th>未完维修</th>
                <th>24小时到场</th>
                <th>15日修复</th>
              </tr>
              {p.openRepairs.map((r) => (
                <tr data-repair={r.id}>
                  <td>
                    #{r.id} {categoryWord(r.category)} · {r.location}
                  </td>
                  <td>
                    {DEADLINE_WORDS.onSite[r.onSite]}（{local(r.onSiteBy)}）
                  </td>
                  <td>
                    {DEADLINE_WORDS.solved[r.solved]}（{local(r.solveBy)}）
                  </td>
                </tr>
              ))}
            </table>
          ) : null}
        </>
      ))}
    </>
  );
}
