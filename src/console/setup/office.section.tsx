import { KIND_SHORT_LABELS } from '../../reports/form-labels';
import { WORK_ORDER_KINDS } from '../../rules/kinds';
import { DEFAULT_RATE_TARGETS } from '../../rules/rate-target';
import { ConsoleSection, SectionPage, SectionRequest } from '../section';
import { FieldProblems, officeInputOf, saveOffice, versionOf } from './office-edit';
import { maySeeSomeSetup, maySetOtherTarget, SetupOffice, setupOffice, setupPath } from './setup-access';
import { FormValues, refusedStatus, SelectField, SetupForm, TextField } from './setup-form';
import { PageNote, SetupTabs } from './setup-tabs';

const percent = (share: number) => `${Math.round(share * 1000) / 10} %`;

/**
 * `/console/offices/:officeId` — one office's settings (name, time zone, chat platform) and its
 * follow-up rate targets per kind (docs/rules.md §2), saved through the admin API's schema and
 * service. The admin and the office's manager edit both; its supervisor reads them and sets the
 * target of "other" work (SOP 4.1.2d), nothing else.
 */
export const officeSection: ConsoleSection = {
  path: '/console/offices/:officeId',
  title: '管理处设置',
  inNav: false,
  mayView: maySeeSomeSetup,
  async render(request, deps) {
    const setup = await setupOffice(request, deps);
    return setup ? officePage(setup, request, { saved: request.query.has('saved') }) : { notFound: true };
  },
  actions: {
    async settings(request, form, deps) {
      const setup = await setupOffice(request, deps);
      if (!setup) return { notFound: true };
      if (!setup.editable) return officePage(setup, request, { refused: true });
      const values = pick(form, ['name', 'timeZone', 'channel']);
      const edited = { ...officeInputOf(setup.office, setup.staff), name: values.name, timeZone: values.timeZone || undefined, channel: values.channel || null };
      return answer(setup, request, await saveOffice(deps, setup.office, form.get('version'), edited), { settings: values });
    },
    async targets(request, form, deps) {
      const setup = await setupOffice(request, deps);
      if (!setup) return { notFound: true };
      const values = pick(form, [...WORK_ORDER_KINDS]);
      // A supervisor's form sends "other" only: anything more is not theirs to set.
      const onlyOther = !setup.editable && WORK_ORDER_KINDS.every((k) => k === 'other' || !form.has(k));
      if (!setup.editable && !(onlyOther && maySetOtherTarget(request.user, setup.office.id))) return officePage(setup, request, { refused: true });
      const targets = setup.editable ? {} : { ...setup.office.rateTargets };
      for (const kind of setup.editable ? WORK_ORDER_KINDS : (['other'] as const)) {
        delete targets[kind];
        if (values[kind] !== '') targets[kind] = /^\d+(\.\d+)?$/.test(values[kind]) ? Number(values[kind]) : (values[kind] as unknown as number);
      }
      const edited = { ...officeInputOf(setup.office, setup.staff), rateTargets: targets };
      return answer(setup, request, await saveOffice(deps, setup.office, form.get('version'), edited), { targets: values });
    },
  },
};

const pick = (form: URLSearchParams, names: readonly string[]): FormValues => Object.fromEntries(names.map((n) => [n, (form.get(n) ?? '').trim()]));

function answer(setup: SetupOffice, request: SectionRequest, problems: FieldProblems | null, sent: { settings?: FormValues; targets?: FormValues }): SectionPage {
  if (!problems) return { redirect: `${setupPath(setup.office.id)}?saved=1` };
  // `rateTargets.repair` → the field `repair`.
  const own = new Map([...problems].map(([field, message]) => [field.replace(/^rateTargets\./, ''), message]));
  return officePage(setup, request, { problems: own }, sent);
}

function officePage(setup: SetupOffice, request: SectionRequest, note: PageNote, sent: { settings?: FormValues; targets?: FormValues } = {}): SectionPage {
  const { office, editable } = setup;
  const { problems } = note;
  const settings = sent.settings ?? { name: office.name, timeZone: office.timeZone, channel: office.channel ?? '' };
  const stored = office.rateTargets ?? {};
  const targets = sent.targets ?? Object.fromEntries(WORK_ORDER_KINDS.map((k) => [k, stored[k] === undefined ? '' : String(stored[k])]));
  const otherEditable = maySetOtherTarget(request.user, office.id);
  return {
    title: `管理处设置 · ${office.name}`,
    status: note.refused ? 403 : problems ? refusedStatus(problems) : undefined,
    body: (
      <>
        <SetupTabs office={office} current="office" note={note} />
        <section data-section="settings">
          <h1>{office.name}</h1>
          <SetupForm action={setupPath(office.id, '/settings')} version={versionOf(office)} editable={editable} button="保存设置" problems={sent.settings ? problems : undefined} ownFields={(f) => f in settings}>
            <TextField name="name" label="名称" values={settings} problems={sent.settings ? problems : undefined} />
            <TextField name="timeZone" label="时区" values={settings} problems={sent.settings ? problems : undefined} hint="IANA 时区，如 Asia/Shanghai：本管理处的日期、季度和免打扰时段按它计算。免打扰时段在「规则」页。" />
            <SelectField name="channel" label="聊天平台" values={settings} problems={sent.settings ? problems : undefined} options={[['', '默认（按配置）'], ['wecom', '企业微信'], ['dingtalk', '钉钉']]} />
          </SetupForm>
        </section>
        <section data-section="targets">
          <h2>回访率目标（0–1，如 0.8 = 80 %）</h2>
          <p class="muted">留空即使用默认值（SOP 4.1.2）。「其他」由客户中心主管设定（SOP 4.1.2d）。</p>
          <SetupForm action={setupPath(office.id, '/targets')} version={versionOf(office)} editable={editable || otherEditable} button="保存目标" problems={sent.targets ? problems : undefined} ownFields={(f) => f in targets}>
            {WORK_ORDER_KINDS.map((kind) => (
              <fieldset class="plain" disabled={!editable && kind !== 'other'}>
                <TextField name={kind} label={KIND_SHORT_LABELS[kind]} values={targets} problems={sent.targets ? problems : undefined} inputMode="decimal" placeholder={String(DEFAULT_RATE_TARGETS[kind])} hint={<>默认：<span data-default>{percent(DEFAULT_RATE_TARGETS[kind])}</span></>} />
              </fieldset>
            ))}
          </SetupForm>
        </section>
      </>
    ),
  };
}
