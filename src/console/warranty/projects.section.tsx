import { In, Not } from 'typeorm';
import { RepairStatus, WarrantyRepair } from '../../../entities';
import { officeZone } from '../../offices/office-zone';
import { warrantyEnds } from '../../rules/warranty-clock';
import { warrantyReport } from '../../warranty/warranty-report';
import { termsOf } from '../../warranty/warranty-terms';
import { ConsoleSection } from '../section';
import { projectList } from './project-scope';
import { Ends, RepairDeadlines } from './warranty-parts';

/** A repair still to be finished: not done, or sent back by the owner. */
const CLOSED = [RepairStatus.Done, RepairStatus.SignedOff];

/**
 * `/console/projects?office=` — the construction projects of one office (docs/rules.md §7): the
 * warranty lead, the acceptance date, each category's last covered day, and the open repairs
 * against their 24 h and 15-day deadlines (met, missed, pending), as the warranty report
 * reckons them. Supervisors and managers see their office's projects, a warranty lead theirs.
 */
export const projectsSection: ConsoleSection = {
  path: '/console/projects',
  title: '保修',
  inNav: true,
  mayView: () => true,
  async render(request, deps) {
    const list = await projectList(deps.dataSource, request.user, request.query.get('office'));
    if (!list) return { notFound: true };
    const { scope, projects, leads } = list;
    const zone = officeZone(scope.office, deps.defaultTimeZone);
    const open = projects.length === 0 ? [] : await deps.dataSource.getRepository(WarrantyRepair).find({ where: { projectId: In(projects.map((p) => p.id)), status: Not(In(CLOSED)) }, order: { id: 'ASC' } });
    return {
      title: `保修 · ${scope.office.name}`,
      body: (
        <>
          {scope.offices.length > 1 ? (
            <nav class="offices" aria-label="管理处">
              {scope.offices.map((o) => (
                <a href={`/console/projects?office=${encodeURIComponent(o.id)}`} aria-current={o.id === scope.office.id ? 'page' : undefined}>
                  {o.name}
                </a>
              ))}
            </nav>
          ) : null}
          <section data-section="projects">
            <h1>工程保修 · {scope.office.name}</h1>
            <table>
              <tbody>
                {projects.map((p) => {
                  const repairs = open.filter((r) => r.projectId === p.id);
                  const ends = warrantyEnds(termsOf(p));
                  const report = warrantyReport({ projectId: p.id, ends, repairs, visits: [], now: request.now, zone });
                  return (
                    <tr data-project={p.id}>
                      <td>
                        <a href={`/console/projects/${encodeURIComponent(p.id)}`}>{p.name}</a>
                        <br />
                        <span class="muted">
                          负责人 {leads.get(p.warrantyLeadId) ?? p.warrantyLeadId} · 竣工验收 {p.acceptedOn}
                        </span>
                      </td>
                      <td>
                        <Ends ends={ends} />
                      </td>
                      <td>
                        <RepairDeadlines report={report} repairs={repairs} zone={zone} />
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {projects.length === 0 ? <p class="muted">没有工程项目。</p> : null}
          </section>
        </>
      ),
    };
  },
};
