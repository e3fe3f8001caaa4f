import { overseenOffices } from '../console-user';
import { ConsoleSection } from '../section';
import { maySeeSomeSetup, mayEditSetup, setupPath } from './setup-access';
import { StaffMember } from '../../../entities';

/**
 * `/console/offices` — the offices whose setup the person may see (the admin: every office;
 * a manager or supervisor: their own), each with its zone, staff and links to its pages.
 */
export const officesSection: ConsoleSection = {
  path: '/console/offices',
  title: '设置',
  inNav: true,
  mayView: maySeeSomeSetup,
  async render(request, deps) {
    const offices = await overseenOffices(deps.dataSource, request.user);
    const staff = await deps.dataSource.getRepository(StaffMember).find({ where: { active: true } });
    return {
      title: '设置',
      body: (
        <section data-section="offices">
          <h1>管理处设置</h1>
          <table>
            <tbody>
              {offices.map((o) => (
                <tr data-office={o.id}>
                  <td>
                    <a href={setupPath(o.id)}>{o.name}</a>
                    <br />
                    <span class="muted">
                      {o.id} · {o.timeZone} · 在职员工 {staff.filter((s) => s.officeId === o.id).length} 人 · {mayEditSetup(request.user, o.id) ? '可修改' : '只读'}
                    </span>
                  </td>
                  <td>
                    <a href={setupPath(o.id, '/policy')}>规则</a>
                  </td>
                  <td>
                    <a href={setupPath(o.id, '/staff')}>员工</a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {offices.length === 0 ? <p class="muted">还没有管理处：用 PUT /api/offices/:id 建立。</p> : null}
        </section>
      ),
    };
  },
};
