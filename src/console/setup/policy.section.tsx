import type { VNode } from 'preact';
import { ConsoleSection, SectionPage } from '../section';
import { FieldProblems, officeInputOf, saveOffice, versionOf } from './office-edit';
import { POLICY_GROUPS, policyFieldOf, policyFormValues, policyFromForm } from './policy-fields';
import { maySeeSomeSetup, SetupOffice, setupOffice, setupPath } from './setup-access';
import { FormValues, refusedStatus, SelectField, SetupForm, TextField } from './setup-form';
import { PageNote, SetupTabs } from './setup-tabs';

/**
 * `/console/offices/:officeId/policy` — every policy value of docs/rules.md for one office: what
 * the office set (empty: the default), the default and what it means. Saved through the admin
 * API's schema and service (`PUT /api/offices/:id`'s `policy`), each problem shown under its
 * field; by the admin or the office's manager (a supervisor reads it).
 */
export const policySection: ConsoleSection = {
  path: '/console/offices/:officeId/policy',
  title: '规则设置',
  inNav: false,
  mayView: maySeeSomeSetup,
  async render(request, deps) {
    const setup = await setupOffice(request, deps);
    return setup ? policyPage(setup, policyFormValues(setup.office.policy), { saved: request.query.has('saved') }) : { notFound: true };
  },
  actions: {
    async save(request, form, deps) {
      const setup = await setupOffice(request, deps);
      if (!setup) return { notFound: true };
      if (!setup.editable) return policyPage(setup, policyFormValues(setup.office.policy), { refused: true });
      const { policy, values } = policyFromForm(form);
      const problems = await saveOffice(deps, setup.office, form.get('version'), { ...officeInputOf(setup.office, setup.staff), policy });
      if (!problems) return { redirect: `${setupPath(setup.office.id, '/policy')}?saved=1` };
      return policyPage(setup, values, { problems: ownProblems(problems) });
    },
  },
};

/** The problems keyed by the page's field names (`policy.` dropped); others stay as they are. */
function ownProblems(problems: FieldProblems): FieldProblems {
  return new Map([...problems].map(([field, message]) => [policyFieldOf(field) ?? field, message]));
}

function policyPage(setup: SetupOffice, values: FormValues, note: PageNote = {}): SectionPage {
  const { office } = setup;
  const { problems } = note;
  return {
    title: `规则设置 · ${office.name}`,
    status: note.refused ? 403 : problems ? refusedStatus(problems) : undefined,
    body: (
      <>
        <SetupTabs office={office} current="policy" note={note} />
        <section data-section="policy">
          <h1>规则设置 · {office.name}</h1>
          <p class="muted">留空即使用默认值。每项的默认值和含义见其下方（docs/rules.md）。</p>
          <SetupForm action={setupPath(office.id, '/policy/save')} version={versionOf(office)} editable={setup.editable} button="保存规则" problems={problems} ownFields={(f) => POLICY_GROUPS.some((g) => g.fields.some((x) => x.name === f))}>
            {POLICY_GROUPS.map((group) => (
              <fieldset class="group">
                <legend>{group.title}</legend>
                {group.fields.map((f) => <PolicyInput field={f} values={values} problems={problems} />)}
              </fieldset>
            ))}
          </SetupForm>
        </section>
      </>
    ),
  };
}

function PolicyInput({ field, values, problems }: { field: (typeof POLICY_GROUPS)[number]['fields'][number]; values: FormValues; problems?: FieldProblems }): VNode {
  const hint = (
    <>
      默认：<span data-default>{field.fallback}</span>
      {field.explanation ? ` · ${field.explanation}` : ''}
    </>
  );
  if (field.type === 'yesno') {
    return <SelectField name={field.name} label={field.label} values={values} problems={problems} hint={hint} options={[['', `默认（${field.fallback}）`], ['true', '是'], ['false', '否']]} />;
  }
  return <TextField name={field.name} label={field.label} values={values} problems={problems} hint={hint} placeholder={field.fallback} inputMode={field.type === 'number' ? 'decimal' : undefined} />;
}
