import type { VNode } from 'preact';
import { Office } from '../../../entities';
import { officeZone } from '../../offices/office-zone';
import { KIND_SHORT_LABELS } from '../../reports/form-labels';
import { QuarterlyFigures } from '../../reports/quarterly-stats';
import { quarterOf } from '../../rules/quarter';
import { ChartScripts, OnTimeShare, percent, RatesChart, SatisfactionTrend } from '../charts/charts';
import { weeklySatisfaction } from '../charts/weekly-satisfaction';
import { ConsoleUser, hasRole, isAdmin, overseenOffices } from '../console-user';
import { ConsoleSection, SectionDeps, SectionPage, SectionRequest } from '../section';
import { officeLists, ownOpenVisits, VisitRow } from './visit-lists';

/**
 * `/console` — the office at a glance (docs/api.md §Console): this quarter's follow-up rate
 * against target per kind, the on-time share, what is overdue, what waits for the person
 * signed in, escalations past their deadline, repeat complaints and repairs so far. Supervisors and
 * managers see their own offices (`?office=` picks one), the admin every office; anyone else
 * sees the open visits they carry out. The rates per kind and the satisfaction by week are
 * charts (ECharts, drawn by our own script file) over tables that say the same without script.
 */
export const glanceSection: ConsoleSection = {
  path: '/console',
  title: '概览',
  inNav: true,
  mayView: () => true,
  async render(request, deps) {
    const offices = await overseenOffices(deps.dataSource, request.user);
    const wanted = request.query.get('office');
    const office = wanted === null ? (offices[0] ?? null) : (offices.find((o) => o.id === wanted) ?? null);
    // Another office's id (or one that does not exist) is simply not found: nothing says which.
    if (wanted !== null && office === null) return { notFound: true };
    const parts: VNode[] = [];
    if (office) parts.push(await officeGlance(office, offices, request, deps));
    parts.push(...(await ownVisits(request, deps)));
    if (parts.length === 0) parts.push(<section><p class="muted">没有需要您处理的回访。</p></section>);
    return { title: office ? office.name : '我的回访', body: <>{parts}</> } satisfies SectionPage;
  },
};

async function officeGlance(office: Office, offices: Office[], request: SectionRequest, deps: SectionDeps): Promise<VNode> {
  const zone = officeZone(office, deps.defaultTimeZone);
  const quarter = quarterOf(request.now, zone);
  const [figures, lists, weeks] = await Promise.all([
    deps.stats.compute(office, quarter.label, request.now),
    officeLists(deps.dataSource, office.id, request.now, zone),
    weeklySatisfaction(deps.dataSource, office.id, quarter, request.now, zone),
  ]);
  const user = request.user;
  const reviews = isAdmin(user) || hasRole(user, office.id, 'supervisor');
  const handlings = isAdmin(user) || hasRole(user, office.id, 'manager');
  return (
    <div data-office={office.id}>
      {offices.length > 1 ? (
        <nav class="offices" aria-label="管理处">
          {offices.map((o) => (
            <a href={`/console?office=${encodeURIComponent(o.id)}`} aria-current={o.id === office.id ? 'page' : undefined}>
              {o.name}
            </a>
          ))}
        </nav>
      ) : null}
      <h1>
        {office.name} · {quarter.label}
      </h1>
      <Rates figures={figures} />
      <SatisfactionTrend weeks={weeks} />
      <div class="columns">
        {reviews ? <VisitList name="to-review" title="待我审核" rows={lists.toReview} empty="没有待审核的记录" /> : null}
        {handlings ? <VisitList name="to-handle" title="待我处理（升级）" rows={lists.escalated} empty="没有待处理的升级" /> : null}
        <VisitList name="overdue" title="逾期未回访" rows={lists.overdue} empty="没有逾期的回访" />
        {!handlings ? <VisitList name="escalated" title="升级处理" rows={lists.escalated} empty="没有升级处理中的回访" /> : null}
      </div>
      <p data-past-deadline={String(lists.pastDeadline)} class={lists.pastDeadline > 0 ? 'late' : 'muted'}>
        超过处理时限的升级：{lists.pastDeadline}
      </p>
      <RepeatComplaints figures={figures} />
      <RepeatRepairs figures={figures} />
      <ChartScripts />
    </div>
  );
}

function Rates({ figures }: { figures: QuarterlyFigures }): VNode {
  return (
    <section data-section="rates">
      <h2>本季度回访率</h2>
      <OnTimeShare kinds={figures.kinds} />
      <RatesChart kinds={figures.kinds} />
      <table>
        <thead>
          <tr>
            <th>类别</th>
            <th>回访率</th>
            <th>目标</th>
            <th>按时/应回访</th>
            <th>进度</th>
          </tr>
        </thead>
        <tbody>
          {figures.kinds.map((k) => (
            <tr data-kind={k.kind}>
              <td>{KIND_SHORT_LABELS[k.kind] ?? k.kind}</td>
              <td data-rate>{percent(k.rate)}</td>
              <td>{percent(k.target)}</td>
              <td>
                {k.onTime} / {k.eligible}
              </td>
              <td>
                {/* A native meter: no inline style, which the page's CSP would refuse. */}
                <meter min={0} max={100} low={Math.round(k.target * 100)} optimum={100} value={Math.round((k.rate ?? 0) * 100)} aria-label={`${percent(k.rate)}，目标 ${percent(k.target)}`} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function RepeatComplaints({ figures }: { figures: QuarterlyFigures }): VNode {
  return <RepeatGroups section="repeat-complaints" title="重复投诉（本季度至今）" none="没有重复投诉" groups={figures.repeatComplaints} />;
}

function RepeatRepairs({ figures }: { figures: QuarterlyFigures }): VNode {
  return <RepeatGroups section="repeat-repairs" title="重复维修（本季度至今，同一事项三次以上）" none="没有重复维修" groups={figures.repeatRepairs} />;
}

function RepeatGroups({ section, title, none, groups }: { section: string; title: string; none: string; groups: QuarterlyFigures['repeatRepairs'] }): VNode {
  return (
    <section data-section={section}>
      <h2>{title}</h2>
      {groups.length === 0 ? (
        <p class="muted">{none}</p>
      ) : (
        <table>
          <tbody>
            {groups.map((g) => (
              <tr>
                <td>{g.unitId}</td>
                <td>{g.matterKey}</td>
                <td>{g.count} 次</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

export function VisitList({ name, title, rows, empty }: { name: string; title: string; rows: VisitRow[]; empty: string }): VNode {
  return (
    <section data-section={name}>
      <h2>
        {title}（{rows.length}）
      </h2>
      {rows.length === 0 ? (
        <p class="muted">{empty}</p>
      ) : (
        <table>
          <tbody>
            {rows.map((r) => (
              <tr data-visit={r.id}>
                <td>
                  {r.title}
                  <br />
                  <span class="muted">
                    {r.kind} · {r.unitId ?? '—'}
                  </span>
                </td>
                <td>{r.status}</td>
                <td class={r.late ? 'late' : undefined}>{r.due}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

/** The open visits the person carries out, per office where they are on the staff. */
async function ownVisits(request: SectionRequest, deps: SectionDeps): Promise<VNode[]> {
  const user: ConsoleUser = request.user;
  const lists: VNode[] = [];
  for (const m of user.memberships) {
    const office = await deps.dataSource.getRepository(Office).findOneBy({ id: m.officeId });
    if (!office) continue;
    const rows = await ownOpenVisits(deps.dataSource, m.officeId, m.staffId, request.now, officeZone(office, deps.defaultTimeZone));
    if (rows.length === 0 && m.roles.some((r) => r === 'supervisor' || r === 'manager')) continue;
    lists.push(<VisitList name="mine" title={`我的回访 · ${office.name}`} rows={rows} empty="没有待办的回访" />);
  }
  return lists;
}
