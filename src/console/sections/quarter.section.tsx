import type { VNode } from 'preact';
import { QuarterlyDecision, StaffMember, StaffRoleCode } from '../../../entities';
import { DomainError } from '../../errors';
import { DECISION_FORM_LABELS } from '../../reports/form-labels';
import { statsTables } from '../../reports/stats-tables';
import { ChartScripts, OnTimeShare, RatesChart, SatisfactionTrend } from '../charts/charts';
import { weeklySatisfaction } from '../charts/weekly-satisfaction';
import { hasRole, overseesAny, staffIdIn } from '../console-user';
import { ConsoleSection, SectionDeps, SectionPage, SectionRequest } from '../section';
import { QuarterPickers } from './quarter-pickers';
import { archiveState, ArchiveSection } from './quarter-archive';
import { ReviewSection } from './quarter-review';
import { quarterQuery, QuarterScope, quarterScopeOf } from './quarter-scope';
import { ReportTableView } from './quarter-tables';

/**
 * `/console/quarter?office&quarter` — the quarterly statistics (走访回访统计表, SOP 4.7) of one
 * office as a page: the same figures and tables as `GET /api/stats/quarterly` and its xlsx/csv
 * (which it offers for download), the rates and the weekly satisfaction as charts, the
 * supervisor's written review and the manager's decision — written here through the same
 * review service as the admin API, by a supervisor and a manager of the office — and where the
 * quarter stands in its archiving. For supervisors, managers (their own offices; any other
 * office id is not found) and the admin; nobody else may open it.
 */
export const quarterSection: ConsoleSection = {
  path: '/console/quarter',
  title: '季度统计',
  inNav: true,
  mayView: overseesAny,
  async render(request, deps) {
    const scope = await quarterScopeOf(request, deps);
    if ('notFound' in scope) return scope;
    if ('problem' in scope) return problemPage(scope.problem, <QuarterPickers offices={scope.offices} office={scope.office} />);
    return quarterPage(request, deps, scope);
  },
  actions: {
    review: (request, form, deps) =>
      act(request, deps, 'supervisor', (scope, staffId) => {
        const opinion = (form.get('opinion') ?? '').trim();
        if (opinion.length === 0 || opinion.length > 4000) throw new DomainError('invalid_request', 'opinion：请填写审核意见（最多 4000 字）', 400);
        return deps.reviews.review({ officeId: scope.office.id, quarter: scope.quarter.label, reviewerId: staffId, opinion });
      }),
    decision: (request, form, deps) =>
      act(request, deps, 'manager', (scope, staffId) => {
        const decision = form.get('decision') as QuarterlyDecision | null;
        if (!decision || !Object.hasOwn(DECISION_FORM_LABELS, decision)) throw new DomainError('invalid_request', 'decision：请选择一项决定', 400);
        const note = (form.get('note') ?? '').trim();
        if (note.length > 4000) throw new DomainError('invalid_request', 'note：说明最多 4000 字', 400);
        return deps.reviews.decide({ officeId: scope.office.id, quarter: scope.quarter.label, managerId: staffId, decision, note: note || null });
      }),
  },
};

/** The review service's refusals in the page's words. */
const REFUSALS: Readonly<Record<string, string>> = {
  quarter_not_ended: '本季度尚未结束，结束后才能审核和作出决定。',
  review_missing: '主管尚未填写审核意见，经理暂不能作出决定。',
  forbidden: '您不是本管理处的主管或经理，不能做这一步。',
};

async function act(request: SectionRequest, deps: SectionDeps, role: StaffRoleCode, step: (scope: QuarterScope, staffId: string) => Promise<unknown>): Promise<SectionPage> {
  const scope = await quarterScopeOf(request, deps);
  if ('notFound' in scope) return scope;
  if ('problem' in scope) return problemPage(scope.problem, <QuarterPickers offices={scope.offices} office={scope.office} />);
  const staffId = staffIdIn(request.user, scope.office.id);
  const who = role === 'supervisor' ? '主管填写审核意见' : '经理作出决定';
  if (!staffId || !hasRole(request.user, scope.office.id, role)) return quarterPage(request, deps, scope, { status: 403, message: `只有本管理处的${who}。` });
  try {
    await step(scope, staffId);
  } catch (err) {
    if (err instanceof DomainError && err.status < 500) return quarterPage(request, deps, scope, { status: err.status, message: REFUSALS[err.code] ?? err.message });
    throw err;
  }
  return { redirect: `/console/quarter?${quarterQuery(scope)}` };
}

function problemPage(problem: string, pickers: VNode): SectionPage {
  return {
    title: '季度统计',
    status: 400,
    body: (
      <>
        {pickers}
        <p class="alert" role="alert">
          {problem}
        </p>
      </>
    ),
  };
}

async function quarterPage(request: SectionRequest, deps: SectionDeps, scope: QuarterScope, refused?: { status: number; message: string }): Promise<SectionPage> {
  const { office, quarter, zone } = scope;
  const [{ report, officeName }, weeks, staff] = await Promise.all([
    deps.reports.report(office.id, quarter.label),
    weeklySatisfaction(deps.dataSource, office.id, quarter, request.now, zone),
    deps.dataSource.getRepository(StaffMember).find({ where: { officeId: office.id }, select: { id: true, name: true } }),
  ]);
  const review = { review: report.review, decision: report.decision, history: report.reviewHistory };
  // The paper form's tables, in statsTables' order: basic facts, rates, unqualified, repeats, staff, review.
  const [, rates, unqualified, complaints, repairs, staffTable] = statsTables(report, review, officeName);
  const query = quarterQuery(scope);
  const rights = { ended: request.now >= quarter.to, review: hasRole(request.user, office.id, 'supervisor'), decide: hasRole(request.user, office.id, 'manager') };
  return {
    title: `${officeName} · ${quarter.label}`,
    status: refused?.status,
    body: (
      <div data-office={office.id} data-quarter={quarter.label}>
        <QuarterPickers offices={scope.offices} office={office} quarter={quarter} current={scope.current} zone={zone} />
        <h1>
          {officeName} · {quarter.label} 走访回访统计表
        </h1>
        <p class="muted">{rights.ended ? '季度已结束' : '季度进行中，数字截至现在'}</p>
        {refused ? (
          <p class="alert" role="alert">
            {refused.message}
          </p>
        ) : null}
        <ReportTableView table={rates} name="rates" empty="">
          <OnTimeShare kinds={report.kinds} />
          <RatesChart kinds={report.kinds} />
        </ReportTableView>
        <SatisfactionTrend weeks={weeks} />
        <ReportTableView table={unqualified} name="unqualified" empty="没有不合格回访" link={(row) => `/console/visits/${row[0]}`} />
        <ReportTableView table={complaints} name="repeat-complaints" empty="没有重复投诉" />
        <ReportTableView table={repairs} name="repeat-repairs" empty="没有重复维修" />
        <ReportTableView table={staffTable} name="staff" empty="没有分配的回访" />
        <ReviewSection state={review} names={new Map(staff.map((s) => [s.id, s.name]))} zone={zone} rights={rights} query={query} />
        <section data-section="downloads">
          <h2>下载</h2>
          <nav class="offices" aria-label="下载">
            <a href={`/console/quarter.xlsx?${query}`}>走访回访统计表（xlsx）</a>
            <a href={`/console/quarter.csv?${query}`}>走访回访统计表（csv）</a>
          </nav>
        </section>
        <ArchiveSection state={await archiveState(deps.dataSource, scope, report.archive)} />
        <ChartScripts />
      </div>
    ),
  };
}
