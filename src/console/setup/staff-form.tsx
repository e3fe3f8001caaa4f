import type { VNode } from 'preact';
import { StaffMember, StaffRoleCode } from '../../../entities';
import { FieldProblems } from './office-edit';
import { Field, FormValues, TextField } from './setup-form';

/** The roles as docs/rules.md §1 names them. */
export const ROLE_LABELS: Readonly<Record<StaffRoleCode, string>> = Object.freeze({ specialist: '客户专员', supervisor: '客户中心主管', dept_head: '部门主管', manager: '管理处经理' });
const ROLES = Object.keys(ROLE_LABELS) as StaffRoleCode[];

/** The fields of a staff member as the admin API's `staff[]` names them. */
export const STAFF_FIELDS = ['id', 'name', 'roles', 'department', 'wecomUserId', 'dingtalkUserId'] as const;

/** A staff member as form values (`roles` comma-joined). */
export const staffValues = (s: StaffMember): FormValues => ({ id: s.id, name: s.name, roles: s.roles.join(','), department: s.department ?? '', wecomUserId: s.wecomUserId ?? '', dingtalkUserId: s.dingtalkUserId ?? '' });

/** The form's staff member as the admin API's `staff[]` entry (empty optional fields: none). */
export function staffFromForm(form: URLSearchParams, id: string): { entry: Record<string, unknown>; values: FormValues } {
  const text = (name: string) => (form.get(name) ?? '').trim();
  const roles = form.getAll('roles');
  const values: FormValues = { id, name: text('name'), roles: roles.join(','), department: text('department'), wecomUserId: text('wecomUserId'), dingtalkUserId: text('dingtalkUserId') };
  const entry = { id, name: values.name, roles, department: values.department || null, wecomUserId: values.wecomUserId || null, dingtalkUserId: values.dingtalkUserId || null };
  return { entry, values };
}

/** The problems of `staff.<index>.<field>` keyed by the field; other problems as they are. */
export function staffProblems(problems: FieldProblems, index: number): FieldProblems {
  const prefix = new RegExp(`^staff\\.${index}\\.(\\w+)`);
  return new Map([...problems].map(([field, message]) => [field.match(prefix)?.[1] ?? field, message]));
}

/** The fields of one staff member; `withId` for a new one (an id cannot change later). */
export function StaffFields({ values, problems, withId }: { values: FormValues; problems?: FieldProblems; withId: boolean }): VNode {
  const chosen = (values.roles ?? '').split(',');
  return (
    <>
      {withId ? <TextField name="id" label="员工编号" values={values} problems={problems} hint="工单系统和接口里用的编号，之后不能修改。" /> : null}
      <TextField name="name" label="姓名" values={values} problems={problems} />
      <Field name="roles" label="角色" problem={problems?.get('roles')}>
        {(describedBy) => (
          <div class="choices" role="group" aria-label="角色" aria-describedby={describedBy}>
            {ROLES.map((role) => (
              <label>
                <input type="checkbox" name="roles" value={role} checked={chosen.includes(role)} /> {ROLE_LABELS[role]}
              </label>
            ))}
          </div>
        )}
      </Field>
      <TextField name="department" label="部门" values={values} problems={problems} hint="部门主管须填：一般投诉由被投诉部门的主管回访，如 engineering。" />
      <TextField name="wecomUserId" label="企业微信 userid" values={values} problems={problems} />
      <TextField name="dingtalkUserId" label="钉钉 userid" values={values} problems={problems} />
    </>
  );
}
