import { ConsoleSection, SectionPage } from '../section';
import { FieldProblems, officeInputOf, saveOffice, versionOf } from './office-edit';
import { maySeeSomeSetup, SetupOffice, setupOffice, setupPath } from './setup-access';
import { FormValues, ReadOnly, refusedStatus, SetupForm } from './setup-form';
import { ROLE_LABELS, STAFF_FIELDS, StaffFields, staffFromForm, staffProblems } from './staff-form';
import { PageNote, SetupTabs } from './setup-tabs';

/**
 * `/console/offices/:officeId/staff` — the office's staff (active first, deactivated ones kept:
 * their past visits name them) and, for the admin and the office's manager, a form to add
 * someone, saved through the admin API's schema and service (`PUT /api/offices/:id`'s `staff`).
 */
export const staffSection: ConsoleSection = {
  path: '/console/offices/:officeId/staff',
  title: '员工',
  inNav: false,
  mayView: maySeeSomeSetup,
  async render(request, deps) {
    const setup = await setupOffice(request, deps);
    return setup ? staffPage(setup, { saved: request.query.has('saved') }) : { notFound: true };
  },
  actions: {
    async add(request, form, deps) {
      const setup = await setupOffice(request, deps);
      if (!setup) return { notFound: true };
      if (!setup.editable) return staffPage(setup, { refused: true });
      const { entry, values } = staffFromForm(form, (form.get('id') ?? '').trim());
      // Adding an id a deactivated member carries would overwrite them: they are taken back on their own page.
      if (setup.staff.some((s) => s.id === values.id && !s.active)) return staffPage(setup, { problems: new Map([['id', '这个编号属于已停用的员工：请在其页面重新启用']]) }, values);
      const input = officeInputOf(setup.office, setup.staff);
      const staff = [...(input.staff as unknown[]), entry];
      const problems = await saveOffice(deps, setup.office, form.get('version'), { ...input, staff });
      if (!problems) return { redirect: `${setupPath(setup.office.id, '/staff')}?saved=1` };
      return staffPage(setup, { problems: staffProblems(problems, staff.length - 1) }, values);
    },
  },
};

function staffPage(setup: SetupOffice, note: PageNote, sent?: FormValues): SectionPage {
  const { office, staff, editable } = setup;
  const ordered = [...staff.filter((s) => s.active), ...staff.filter((s) => !s.active)];
  const problems: FieldProblems | undefined = note.problems;
  return {
    title: `员工 · ${office.name}`,
    status: note.refused ? 403 : problems ? refusedStatus(problems) : undefined,
    body: (
      <>
        <SetupTabs office={office} current="staff" note={note} />
        <section data-section="staff">
          <h1>员工 · {office.name}</h1>
          <table>
            <tbody>
              {ordered.map((s) => (
                <tr data-staff={s.id} class={s.active ? undefined : 'muted'}>
                  <td>
                    <a href={setupPath(office.id, `/staff/${encodeURIComponent(s.id)}`)}>{s.name}</a>
                    <br />
                    <span class="muted">
                      {s.id} · {s.roles.map((r) => ROLE_LABELS[r] ?? r).join('、')}
                      {s.department ? ` · ${s.department}` : ''}
                    </span>
                  </td>
                  <td>{s.active ? '在职' : '已停用'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
        {editable ? (
          <section data-section="add-staff">
            <h2>新增员工</h2>
            <SetupForm action={setupPath(office.id, '/staff/add')} version={versionOf(office)} editable={editable} button="新增员工" problems={problems} ownFields={(f) => (STAFF_FIELDS as readonly string[]).includes(f)}>
              <StaffFields values={sent ?? {}} problems={problems} withId />
            </SetupForm>
          </section>
        ) : (
          <ReadOnly />
        )}
      </>
    ),
  };
}
