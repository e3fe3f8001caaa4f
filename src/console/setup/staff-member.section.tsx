import { StaffMember } from '../../../entities';
import { staffIdIn } from '../console-user';
import { ConsoleSection, SectionDeps, SectionPage, SectionRequest } from '../section';
import { officeInputOf, saveOffice, versionOf } from './office-edit';
import { maySeeSomeSetup, SetupOffice, setupOffice, setupPath } from './setup-access';
import { FormValues, refusedStatus, SetupForm } from './setup-form';
import { STAFF_FIELDS, StaffFields, staffFromForm, staffProblems, staffValues } from './staff-form';
import { PageNote, SetupTabs } from './setup-tabs';

type Found = SetupOffice & { member: StaffMember };

/**
 * `/console/offices/:officeId/staff/:staffId` — one staff member: name, roles, department, chat
 * user ids, and deactivating (never deleting: past visits name them) or taking them back. By the
 * admin and the office's manager, through the admin API's schema and service; a manager cannot
 * deactivate themselves (they would lose the console).
 */
export const staffMemberSection: ConsoleSection = {
  path: '/console/offices/:officeId/staff/:staffId',
  title: '员工',
  inNav: false,
  mayView: maySeeSomeSetup,
  async render(request, deps) {
    const found = await findMember(request, deps);
    return found ? memberPage(found, { saved: request.query.has('saved') }) : { notFound: true };
  },
  actions: {
    save: (request, form, deps) =>
      change(request, deps, form, (found, entries) => {
        if (!found.member.active) return '已停用的员工请先重新启用，再修改。';
        const { entry, values } = staffFromForm(form, found.member.id);
        const index = entries.findIndex((e) => e.id === found.member.id);
        return { staff: entries.map((e, i) => (i === index ? entry : e)), values, index };
      }),
    deactivate: (request, form, deps) =>
      change(request, deps, form, (found, entries) => {
        if (staffIdIn(request.user, found.office.id) === found.member.id) return '不能停用自己。';
        return { staff: entries.filter((e) => e.id !== found.member.id) };
      }),
    activate: (request, form, deps) =>
      change(request, deps, form, (found, entries) => ({ staff: found.member.active ? entries : [...entries, staffEntry(found.member)] })),
  },
};

type Entry = Record<string, unknown> & { id: string };
type Edit = { staff: Record<string, unknown>[]; values?: FormValues; index?: number } | string;

async function change(request: SectionRequest, deps: SectionDeps, form: URLSearchParams, edit: (found: Found, entries: Entry[]) => Edit): Promise<SectionPage> {
  const found = await findMember(request, deps);
  if (!found) return { notFound: true };
  if (!found.editable) return memberPage(found, { refused: true });
  const input = officeInputOf(found.office, found.staff);
  const edited = edit(found, input.staff as Entry[]);
  if (typeof edited === 'string') return memberPage(found, { problems: new Map([['active', edited]]) });
  const problems = await saveOffice(deps, found.office, form.get('version'), { ...input, staff: edited.staff });
  if (!problems) return { redirect: `${setupPath(found.office.id, `/staff/${encodeURIComponent(found.member.id)}`)}?saved=1` };
  return memberPage(found, { problems: edited.index === undefined ? problems : staffProblems(problems, edited.index) }, edited.values);
}

const staffEntry = (s: StaffMember): Entry => ({ id: s.id, name: s.name, roles: s.roles, department: s.department, wecomUserId: s.wecomUserId, dingtalkUserId: s.dingtalkUserId });

async function findMember(request: SectionRequest, deps: SectionDeps): Promise<Found | null> {
  const setup = await setupOffice(request, deps);
  const member = setup?.staff.find((s) => s.id === request.params.staffId);
  return setup && member ? { ...setup, member } : null;
}

function memberPage(found: Found, note: PageNote, sent?: FormValues): SectionPage {
  const { office, member, editable } = found;
  const problems = note.problems;
  const path = setupPath(office.id, `/staff/${encodeURIComponent(member.id)}`);
  return {
    title: `${member.name} · ${office.name}`,
    status: note.refused ? 403 : problems ? refusedStatus(problems) : undefined,
    body: (
      <>
        <SetupTabs office={office} current="staff" note={note} />
        <section data-section="staff-member">
          <h1>
            {member.name} <span class="muted">· {member.id} · {member.active ? '在职' : '已停用'}</span>
          </h1>
          <SetupForm action={`${path}/save`} version={versionOf(office)} editable={editable && member.active} button="保存" problems={problems} ownFields={(f) => (STAFF_FIELDS as readonly string[]).includes(f)}>
            <StaffFields values={sent ?? staffValues(member)} problems={problems} withId={false} />
          </SetupForm>
        </section>
        {editable ? (
          <section data-section="activity">
            <form method="post" action={`${path}/${member.active ? 'deactivate' : 'activate'}`} class="filters">
              <input type="hidden" name="version" value={versionOf(office)} />
              <button type="submit">{member.active ? '停用' : '重新启用'}</button>
              <span class="muted">停用后不再分配回访、不再收到消息，也不能登录控制台；过去的记录保留。</span>
            </form>
          </section>
        ) : null}
      </>
    ),
  };
}
