import { DateTime } from 'luxon';
import { Visit, WarrantyRepair } from '../../../entities';
import { SERVICE_LABELS } from '../../../cards/components/labels';
import { warrantyEnds } from '../../rules/warranty-clock';
import { STATUS_LABELS } from '../../staff-form/staff-form-view';
import { loadWarrantyReport } from '../../warranty/warranty-report';
import { cardDueBy, termsOf } from '../../warranty/warranty-terms';
import { ConsoleSection } from '../section';
import { visibleProject } from './project-scope';
import { Ends, RepairDeadlines } from './warranty-parts';

/**
 * `/console/projects/:projectId` — one construction project, read-only: its terms and people,
 * each category's last covered day, the warranty card's due and issue dates, the warranty
 * report (visits due and done, every repair against its deadlines), the warranty visits, and
 * the printable card and the report workbook to download. Not found for anyone who may not
 * see the project.
 */
export const projectSection: ConsoleSection = {
  path: '/console/projects/:projectId',
  title: '工程项目',
  inNav: false,
  mayView: () => true,
  async render(request, deps) {
    const found = await visibleProject(deps.dataSource, request.user, request.params.projectId ?? '', deps.defaultTimeZone);
    if (!found) return { notFound: true };
    const { project, office, zone, names } = found;
    const manager = deps.dataSource.manager;
    const [report, repairs, visits] = await Promise.all([
      loadWarrantyReport(manager, project, zone, request.now),
      manager.find(WarrantyRepair, { where: { projectId: project.id }, order: { id: 'ASC' } }),
      manager.find(Visit, { where: { projectId: project.id }, order: { opensAt: 'ASC', id: 'ASC' } }),
    ]);
    const day = (d: Date) => DateTime.fromJSDate(d, { zone }).toFormat('yyyy-MM-dd');
    const base = `/console/projects/${encodeURIComponent(project.id)}`;
    return {
      title: project.name,
      body: (
        <>
          <section data-section="project">
            <h1>{project.name}</h1>
            <table>
              <tbody>
                <tr><th>管理处</th><td>{office.name}</td></tr>
                <tr><th>竣工验收</th><td>{project.acceptedOn}{project.countFromNextDay ? '（保修期自次日起算）' : ''}</td></tr>
                <tr><th>保修负责人</th><td data-lead>{names.get(project.warrantyLeadId) ?? project.warrantyLeadId}</td></tr>
                <tr><th>建设单位</th><td>{project.owner.name}</td></tr>
                <tr><th>施工单位</th><td>{project.contractor.name} · {project.contractor.contact}</td></tr>
                <tr><th>保修证书</th><td data-card>{project.cardIssuedAt ? `已于 ${day(project.cardIssuedAt)} 签发` : `应于 ${cardDueBy(project)} 前签发，尚未签发`}</td></tr>
              </tbody>
            </table>
            <nav class="offices" aria-label="下载">
              <a href={`${base}/card`}>保修证书（打印）</a>
              <a href={`${base}/report.xlsx`}>保修报表（xlsx）</a>
            </nav>
          </section>
          <section data-section="ends">
            <h2>保修期至</h2>
            <Ends ends={warrantyEnds(termsOf(project))} />
            {report.expiring.length > 0 ? <p class="late">90 天内到期：{report.expiring.map((e) => `${e.endsOn}（${e.daysLeft} 天）`).join('、')}</p> : null}
          </section>
          <section data-section="repairs">
            <h2>保修维修（{report.repairs.total}，未完成 {report.repairs.open}）</h2>
            <RepairDeadlines report={report} repairs={repairs} zone={zone} />
          </section>
          <section data-section="warranty-visits">
            <h2>保修回访（应回访 {report.visits.due}，已回访 {report.visits.done}，逾期未回访 {report.visits.overdue}）</h2>
            <ul class="plain">
              {visits.map((v) => (
                <li data-visit={v.id}>
                  <a href={`/console/visits/${v.id}`}>{SERVICE_LABELS[v.kind as keyof typeof SERVICE_LABELS] ?? v.kind} · {day(v.opensAt)} – {day(v.closesAt)}</a> · {STATUS_LABELS[v.status] ?? v.status}
                </li>
              ))}
            </ul>
          </section>
        </>
      ),
    };
  },
};
