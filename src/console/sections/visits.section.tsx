import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { StaffMember, Visit, VisitAssignee, VisitStatus, WorkOrder } from '../../../entities';
import { SERVICE_LABELS } from '../../../cards/components/labels';
import { officeZone } from '../../offices/office-zone';
import { STATUS_LABELS } from '../../staff-form/staff-form-view';
import { ConsoleSection, SectionDeps, SectionPage, SectionRequest } from '../section';
import { inScope, visitScope, VisitScope } from './visit-scope';

const PAGE_SIZE = 25;
const KINDS = Object.keys(SERVICE_LABELS);
const STATUSES = Object.values(VisitStatus) as string[];

/**
 * `/console/visits` — the visits of one office, newest first, 25 a page, filtered by status,
 * kind, visitor, unit and window — the local days its window closes on
 * (`?office&status&kind&visitor&unit&dueFrom&dueTo&page`). Supervisors and managers see their
 * office's visits, anyone else only their own. A filter value that is not one of the choices
 * answers 400 naming it; nothing outside the person's scope is ever counted or listed.
 */
export const visitsSection: ConsoleSection = {
  path: '/console/visits',
  title: '回访',
  inNav: true,
  mayView: () => true,
  async render(request, deps) {
    const scope = await visitScope(deps.dataSource, request.user, request.query.get('office'));
    if (!scope) return { notFound: true };
    const filters = readFilters(request.query);
    const staff = await deps.dataSource.getRepository(StaffMember).find({ where: { officeId: scope.office.id }, order: { id: 'ASC' } });
    const problem = filters.problem ?? (filters.visitor && !staff.some((s) => s.id === filters.visitor) ? 'visitor：不是本管理处的员工' : null);
    if (problem) return { title: '回访', status: 400, body: <Filters scope={scope} staff={staff} request={request} problem={problem} /> };
    const qb = inScope(deps.dataSource.getRepository(Visit).createQueryBuilder('v'), scope);
    if (filters.status) qb.andWhere('v.status = :status', { status: filters.status });
    if (filters.kind) qb.andWhere('v.kind = :kind', { kind: filters.kind });
    if (filters.visitor) qb.innerJoin(VisitAssignee, 'f', 'f.visitId = v.id AND f.staffId = :visitor', { visitor: filters.visitor });
    if (filters.unit) qb.andWhere('v.unitId = :unit', { unit: filters.unit });
    const zone = officeZone(scope.office, deps.defaultTimeZone);
    // The window: visits whose window closes on a local day from `dueFrom` to `dueTo`.
    if (filters.dueFrom) qb.andWhere('v.closesAt >= :dueFrom', { dueFrom: DateTime.fromISO(filters.dueFrom, { zone }).toJSDate() });
    if (filters.dueTo) qb.andWhere('v.closesAt < :dueTo', { dueTo: DateTime.fromISO(filters.dueTo, { zone }).plus({ days: 1 }).toJSDate() });
    const rows = await qb.orderBy('v.id', 'DESC').skip((filters.page - 1) * PAGE_SIZE).take(PAGE_SIZE + 1).getMany();
    const page = rows.slice(0, PAGE_SIZE);
    const titles = await titlesOf(deps, page);
    const link = (p: number) => `/console/visits?${new URLSearchParams({ ...Object.fromEntries(request.query), page: String(p) })}`;
    return {
      title: `回访 · ${scope.office.name}`,
      body: (
        <>
          <Filters scope={scope} staff={staff} request={request} />
          <section data-section="visits">
            <table>
              <tbody>
                {page.map((v) => (
                  <tr data-visit={v.id}>
                    <td>
                      <a href={`/console/visits/${v.id}`}>{titles.get(v.id) ?? `#${v.id}`}</a>
                      <br />
                      <span class="muted">
                        {SERVICE_LABELS[v.kind as keyof typeof SERVICE_LABELS] ?? v.kind} · {v.unitId ?? '—'}
                      </span>
                    </td>
                    <td>{STATUS_LABELS[v.status] ?? v.status}</td>
                    <td>{DateTime.fromJSDate(v.closesAt, { zone }).toFormat('M月d日')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {page.length === 0 ? <p class="muted">没有符合条件的回访</p> : null}
            <nav class="offices" aria-label="翻页">
              {filters.page > 1 ? <a href={link(filters.page - 1)}>上一页</a> : null}
              {rows.length > PAGE_SIZE ? <a href={link(filters.page + 1)} data-next>下一页</a> : null}
            </nav>
          </section>
        </>
      ),
    } satisfies SectionPage;
  },
};

interface VisitFilters {
  status?: string;
  kind?: string;
  visitor?: string;
  unit?: string;
  /** Local days, YYYY-MM-DD: the window closes from the first to the last (inclusive). */
  dueFrom?: string;
  dueTo?: string;
  page: number;
  problem?: string;
}

function readFilters(query: URLSearchParams): VisitFilters {
  const value = (name: string) => query.get(name)?.trim() || undefined;
  const [status, kind, visitor, unit, dueFrom, dueTo, rawPage] = ['status', 'kind', 'visitor', 'unit', 'dueFrom', 'dueTo'].map(value).concat(value('page') ?? '1');
  const page = /^\d{1,4}$/.test(rawPage!) && Number(rawPage) >= 1 ? Number(rawPage) : NaN;
  const isDay = (day: string | undefined) => day === undefined || (/^\d{4}-\d{2}-\d{2}$/.test(day) && DateTime.fromISO(day).isValid);
  const problem =
    status && !STATUSES.includes(status)
      ? 'status：不是回访状态之一'
      : kind && !KINDS.includes(kind)
        ? 'kind：不是回访类别之一'
        : unit && unit.length > 64
          ? 'unit：房号最长 64 个字符'
          : !isDay(dueFrom)
            ? 'dueFrom：应为日期 YYYY-MM-DD'
            : !isDay(dueTo)
              ? 'dueTo：应为日期 YYYY-MM-DD'
              : Number.isNaN(page)
                ? 'page：应为 1–9999 的页码'
                : undefined;
  return { status, kind, visitor, unit, dueFrom, dueTo, page: Number.isNaN(page) ? 1 : page, problem };
}

function Filters({ scope, staff, request, problem }: { scope: VisitScope; staff: StaffMember[]; request: SectionRequest; problem?: string }): VNode {
  const chosen = (name: string) => request.query.get(name) ?? '';
  return (
    <section data-section="filters">
      {problem ? (
        <p class="alert" role="alert">
          {problem}
        </p>
      ) : null}
      <form method="get" action="/console/visits" class="filters">
        {scope.offices.length > 1 ? (
          <select name="office" aria-label="管理处">
            {scope.offices.map((o) => (
              <option value={o.id} selected={o.id === scope.office.id}>
                {o.name}
              </option>
            ))}
          </select>
        ) : null}
        <select name="status" aria-label="状态">
          <option value="">全部状态</option>
          {STATUSES.map((s) => (
            <option value={s} selected={chosen('status') === s}>
              {STATUS_LABELS[s as VisitStatus] ?? s}
            </option>
          ))}
        </select>
        <select name="kind" aria-label="类别">
          <option value="">全部类别</option>
          {KINDS.map((k) => (
            <option value={k} selected={chosen('kind') === k}>
              {SERVICE_LABELS[k as keyof typeof SERVICE_LABELS]}（{k}）
            </option>
          ))}
        </select>
        {scope.ownStaffId === null ? (
          <select name="visitor" aria-label="回访人">
            <option value="">全部回访人</option>
            {staff.map((s) => (
              <option value={s.id} selected={chosen('visitor') === s.id}>
                {s.name}
              </option>
            ))}
          </select>
        ) : null}
        <input type="text" name="unit" aria-label="房号" placeholder="房号" value={chosen('unit')} />
        <label>
          截止从 <input type="date" name="dueFrom" value={chosen('dueFrom')} />
        </label>
        <label>
          到 <input type="date" name="dueTo" value={chosen('dueTo')} />
        </label>
        <button type="submit">筛选</button>
      </form>
    </section>
  );
}

async function titlesOf(deps: SectionDeps, visits: Visit[]): Promise<Map<number, string>> {
  const ids = [...new Set(visits.map((v) => v.workOrderId).filter((id): id is string => id !== null))];
  const orders = ids.length ? await deps.dataSource.getRepository(WorkOrder).find({ select: { id: true, title: true }, where: { id: In(ids) } }) : [];
  const titleOf = new Map(orders.map((o) => [o.id, o.title ?? o.id]));
  return new Map(visits.map((v) => [v.id, (v.workOrderId && titleOf.get(v.workOrderId)) || v.workOrderId || `#${v.id}`]));
}
