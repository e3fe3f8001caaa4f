import type { VNode } from 'preact';
import { OPEN_VISIT_STATUSES, StaffMember, Visit, VisitAssignee, VisitStatus } from '../../../entities';
import { DomainError } from '../../errors';
import { loadStaffFormView, StaffFormView } from '../../staff-form/staff-form-view';
import { assignCommand } from '../../visits/visit-lifecycle.service';
import { ConsoleUser, hasRole, staffIdIn } from '../console-user';
import { ConsoleSection, SectionDeps, SectionPage, SectionRequest } from '../section';
import { Refused, takeVisitStep, visibleVisit, VisitStep } from './visit-act';
import { correctStep, CorrectForm, HandleForm, handleStep, offeredSteps, RecordLink, recordLink, recordValues } from './visit-steps';

/** The roles a visitor can be assigned in, in the order a person's roles are tried. */
const VISITOR_ROLES = ['specialist', 'dept_head', 'manager', 'supervisor'] as const;

/**
 * `/console/visits/:id` — one visit with its record, review, handling and history, and what
 * the person may do with it: a supervisor of its office reviews a record and assigns or
 * replaces the visitors of an open visit; a visitor who may record opens the signed staff
 * record form; the office's manager handles an escalated visit; the record's author corrects
 * it until it is reviewed. Each goes through the visit lifecycle (the same commands as the
 * admin API and the cards), acting as the person's own staff record; the lifecycle's refusal
 * (403, 409) is shown on the page with its status, in Chinese. A visit the person may not see
 * is not found.
 */
export const visitSection: ConsoleSection = {
  path: '/console/visits/:id',
  title: '回访详情',
  inNav: false,
  mayView: () => true,
  render: (request, deps) => visitPage(request, deps),
  actions: {
    review: (request, form, deps) =>
      act(request, form, deps, 'review', (form, visit, lifecycle, by) => {
        const verdict = form.get('verdict');
        if (verdict !== 'ok' && verdict !== 'unqualified') throw new DomainError('invalid_request', 'verdict：请选择「合格」或「不合格」', 400);
        const opinion = (form.get('opinion') ?? '').trim();
        if (opinion.length > 2000) throw new DomainError('invalid_request', 'opinion：审核意见最多 2000 字', 400);
        return lifecycle.run(visit.id, { type: 'review', verdict, opinion: opinion || null }, by);
      }),
    assign: (request, form, deps) =>
      act(request, form, deps, 'assign', async (form, visit, lifecycle, by) => {
        const chosen = [...new Set(form.getAll('staffId'))];
        const staff = await deps.dataSource.getRepository(StaffMember).find({ where: { officeId: visit.officeId, active: true } });
        const assignees = chosen.map((id) => {
          const person = staff.find((s) => s.id === id);
          const role = person && VISITOR_ROLES.find((r) => person.roles.includes(r));
          if (!person || !role) throw new DomainError('invalid_request', 'staffId：请从本管理处的在职员工中选择', 400);
          return { staffId: id, role };
        });
        if (assignees.length === 0 || assignees.length > 10) throw new DomainError('invalid_request', 'staffId：请选择 1–10 位回访人', 400);
        return lifecycle.run(visit.id, assignCommand(assignees), by);
      }),
    handle: (request, form, deps) => takeVisitStep(request, form, deps, visitPage, handleStep),
    correct: (request, form, deps) => takeVisitStep(request, form, deps, visitPage, correctStep),
  },
};

/** The supervisor's review and assignment: offered, and taken, only in the states they apply to. */
const act = (request: SectionRequest, form: URLSearchParams, deps: SectionDeps, what: 'review' | 'assign', run: VisitStep['run']) =>
  takeVisitStep(request, form, deps, visitPage, { may: (user, visit) => mayAct(user, visit, what), run });

/** Whether `user` may take step `what` on `visit` now (the lifecycle checks again). */
function mayAct(user: ConsoleUser, visit: Visit, what: 'review' | 'assign'): boolean {
  if (!hasRole(user, visit.officeId, 'supervisor')) return false;
  if (what === 'review') return visit.status === VisitStatus.Recorded || visit.status === VisitStatus.Unqualified;
  return (OPEN_VISIT_STATUSES as readonly VisitStatus[]).includes(visit.status);
}

async function visitPage(request: SectionRequest, deps: SectionDeps, refused?: Refused): Promise<SectionPage> {
  const visit = await visibleVisit(request, deps);
  if (!visit) return { notFound: true };
  const staffId = staffIdIn(request.user, visit.officeId);
  const loaded = await loadStaffFormView(deps, visit.id, staffId ?? '');
  if (!loaded) return { notFound: true };
  const { view } = loaded;
  const [assignees, staff] = await Promise.all([
    deps.dataSource.getRepository(VisitAssignee).find({ where: { visitId: visit.id } }),
    deps.dataSource.getRepository(StaffMember).find({ where: { officeId: visit.officeId, active: true }, order: { id: 'ASC' } }),
  ]);
  const canReview = mayAct(request.user, visit, 'review');
  const canAssign = mayAct(request.user, visit, 'assign');
  const offered = offeredSteps(staffId ? await deps.lifecycle.allowedActions(visit.id, staffId) : [], visit);
  return {
    title: view.title,
    status: refused?.status,
    body: (
      <>
        {refused ? (
          <p class="alert" role="alert">
            {refused.message}
          </p>
        ) : null}
        <Summary view={view} visitors={assignees.map((a) => staff.find((s) => s.id === a.staffId)?.name ?? a.staffId)} />
        {offered.record && staffId ? <RecordLink href={recordLink(deps, visit, staffId, request.now)} /> : null}
        {offered.correct ? <CorrectForm visitId={visit.id} values={recordValues(visit)} /> : null}
        {canReview ? <ReviewForm visitId={visit.id} /> : null}
        {offered.handle ? <HandleForm visitId={visit.id} /> : null}
        {canAssign ? <AssignForm visitId={visit.id} staff={staff} current={assignees.map((a) => a.staffId)} /> : null}
        <section data-section="history">
          <h2>历史</h2>
          <ol>
            {view.history.map((h) => (
              <li>
                {h.at} · {h.who} · {h.what}
              </li>
            ))}
          </ol>
        </section>
      </>
    ),
  };
}

function Summary({ view, visitors }: { view: StaffFormView; visitors: string[] }): VNode {
  return (
    <section data-section="visit">
      <h1>{view.title}</h1>
      <p>
        <span data-status={view.status}>{view.statusLabel}</span>
        {view.late ? <span class="late"> · 逾期完成</span> : null}
      </p>
      <table>
        <tbody>
          <tr><th>类别</th><td>{view.kindLabel}</td></tr>
          <tr><th>房号</th><td>{view.unit || '—'}</td></tr>
          <tr><th>回访期限</th><td>{view.window}</td></tr>
          <tr><th>回访人</th><td data-visitors>{visitors.join('、') || '未分配'}</td></tr>
          {view.record ? <tr><th>记录</th><td>{view.record.methodLabel} · {view.record.recorderName} · {view.record.recordedAt}</td></tr> : null}
          {(view.record?.rows ?? []).map((r) => <tr><th>{r.label}</th><td>{r.value}</td></tr>)}
          {view.review ? <tr><th>审核</th><td>{view.review.verdictLabel} · {view.review.reviewerName} · {view.review.opinion}</td></tr> : null}
          {view.handling ? <tr><th>处理</th><td>{view.handling.handlerName} · {view.handling.opinion}</td></tr> : null}
        </tbody>
      </table>
    </section>
  );
}

function ReviewForm({ visitId }: { visitId: number }): VNode {
  return (
    <section data-section="review">
      <h2>审核</h2>
      <form method="post" action={`/console/visits/${visitId}/review`} class="filters">
        <label><input type="radio" name="verdict" value="ok" /> 合格</label>
        <label><input type="radio" name="verdict" value="unqualified" /> 不合格</label>
        <textarea name="opinion" aria-label="审核意见" placeholder="审核意见" maxLength={2000} />
        <button type="submit">提交审核</button>
      </form>
    </section>
  );
}

function AssignForm({ visitId, staff, current }: { visitId: number; staff: StaffMember[]; current: string[] }): VNode {
  return (
    <section data-section="assign">
      <h2>分配回访人</h2>
      <form method="post" action={`/console/visits/${visitId}/assign`} class="filters">
        {staff.filter((s) => VISITOR_ROLES.some((r) => s.roles.includes(r))).map((s) => (
          <label><input type="checkbox" name="staffId" value={s.id} checked={current.includes(s.id)} /> {s.name}</label>
        ))}
        <button type="submit">保存回访人</button>
      </form>
    </section>
  );
}
