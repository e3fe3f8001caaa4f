import type { ComponentChildren, VNode } from 'preact';
import { CampaignMethod, CampaignQuestion, Customer, VisitDetails } from '../../entities';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';
import { ANSWER_LEVELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { REACH_LABELS, VisitedResident } from './call-cards';
import { CallFormErrors, CallFormValues } from './call-form-input';

/*
 * The campaign call form (客户回访记录表, docs/rules.md §8) behind the link on a call card
 * (`/f/:token`): who the customer is and what they asked, then the record — method, reached or
 * not, the campaign's own questions, needs, opinions of pre-sale, sale and after-sale service,
 * complaints in the customer's words, whether the inquiry is valid, the follow-up. No script;
 * what is wrong is said beside its field; every text is escaped by the JSX layer.
 */

const CSS = `
*{box-sizing:border-box}body{margin:0;font:17px/1.55 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329;word-break:break-word}
main{max-width:560px;margin:0 auto;padding:16px 14px 32px}h1{font-size:21px;margin:6px 0}
.meta{color:#646a73;font-size:15px}section,fieldset{background:#fff;border-radius:12px;margin:0 0 12px;padding:12px;border:2px solid transparent;min-width:0}
fieldset.invalid{border-color:#e5484d}legend{font-weight:600;float:left;width:100%;margin-bottom:8px}
.hint{color:#646a73;font-weight:400;font-size:14px}.field-error{clear:both;color:#c0262d;font-weight:600;margin:0 0 6px}
.choices{clear:both;display:flex;flex-wrap:wrap;margin:-4px}.choices label{flex:1 1 28%;min-width:88px;margin:4px;position:relative}
.choices input{position:absolute;opacity:0}.choices span{display:flex;align-items:center;justify-content:center;min-height:52px;border:2px solid #dee0e3;border-radius:10px;text-align:center;padding:6px}
.choices input:checked+span{border-color:#3370ff;background:#e1eaff;font-weight:600}
textarea{clear:both;display:block;width:100%;min-height:80px;font:inherit;padding:10px;border:2px solid #dee0e3;border-radius:10px}
button{width:100%;font-size:19px;padding:16px;border:0;border-radius:12px;background:#3370ff;color:#fff;font-weight:600}
.summary{background:#fff0f0;color:#c0262d;border-radius:10px;padding:10px 12px;font-weight:600}
dl{margin:0}dt{color:#646a73;font-size:15px}dd{margin:0 0 8px;font-weight:600;white-space:pre-wrap}
a.tel{display:inline-block;margin-top:8px;padding:10px 16px;border-radius:10px;background:#1a7f43;color:#fff;text-decoration:none;font-weight:600}
`;

/** The Content-Security-Policy of the call form's pages: their own CSS, no script. */
export const CALL_FORM_PAGE_POLICY = pagePolicy({ styles: [CSS] });

/** What the call form shows. */
export interface CallFormView {
  officeName: string;
  campaignName: string;
  customer: Pick<Customer, 'name' | 'company' | 'phone' | 'email' | 'region' | 'product' | 'inquiry'> | null;
  /** A property visit plan's resident (the page names them instead of a customer). */
  resident?: VisitedResident | null;
  methods: readonly CampaignMethod[];
  questions: readonly CampaignQuestion[];
  /** Calls that did not reach the customer so far. */
  attempts: number;
  /** The record, once made (read-only page). */
  recorded: VisitDetails | null;
}

export const METHOD_LABELS: Record<CampaignMethod, string> = { phone: '电话', chat: '在线沟通', email: '邮件' };
const OPINIONS = [
  ['presale', '售前服务评价'],
  ['sale', '销售服务评价'],
  ['aftersale', '售后服务评价'],
] as const;

function Page({ title, children }: { title: string; children: ComponentChildren }): VNode {
  return (
    <Document title={title} css={CSS} head={<meta name="robots" content="noindex" />}>
      <main>{children}</main>
    </Document>
  );
}

function CustomerCard({ view }: { view: CallFormView }): VNode {
  const c = view.customer;
  const r = view.resident;
  const phone = r ? r.phone : (c?.phone ?? null);
  const rows = r
    ? [
        ['单元', r.unitId],
        ['联系方式', REACH_LABELS[r.route]],
      ]
    : [
        ['地区', c?.region],
        ['产品', c?.product],
        ['询盘', c?.inquiry],
        ['邮箱', c?.email],
      ];
  return (
    <section data-section="customer">
      <p class="meta">
        {view.officeName} · {view.campaignName}
      </p>
      <h1>{r ? (r.name ?? '（未留姓名）') : c ? `${c.name}${c.company ? `（${c.company}）` : ''}` : '（客户已删除）'}</h1>
      <dl>
        {rows
          .filter(([, v]) => v)
          .map(([k, v]) => (
            <>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </>
          ))}
      </dl>
      {view.attempts > 0 ? <p class="meta">已尝试联系 {view.attempts} 次未接通</p> : null}
      {phone ? (
        <a class="tel" href={`tel:${phone.replace(/[^0-9+]/g, '')}`}>
          拨打 {phone}
        </a>
      ) : null}
    </section>
  );
}

function Field(props: { name: string; title: string; hint?: string; error?: string; children: ComponentChildren }): VNode {
  return (
    <fieldset class={props.error ? 'invalid' : undefined} data-field={props.name}>
      <legend>
        {props.title} {props.hint ? <span class="hint">{props.hint}</span> : null}
      </legend>
      {props.error ? (
        <p class="field-error" role="alert">
          {props.error}
        </p>
      ) : null}
      {props.children}
    </fieldset>
  );
}

function Choices({ name, items, chosen }: { name: string; items: ReadonlyArray<readonly [string, string]>; chosen?: string }): VNode {
  return (
    <div class="choices">
      {items.map(([value, label]) => (
        <label>
          <input type="radio" name={name} value={value} checked={chosen === value} />
          <span>{label}</span>
        </label>
      ))}
    </div>
  );
}

function QuestionField({ q, values, errors }: { q: CampaignQuestion; values: CallFormValues; errors: CallFormErrors }): VNode {
  const name = `answers.${q.key}`;
  const items: Array<readonly [string, string]> =
    q.type === 'rating' ? ANSWER_LEVELS.map((n) => [String(n), `${n} ${SATISFACTION_LABELS[n]}`] as const) : (q.options ?? []).map((o) => [o, o] as const);
  return (
    <Field name={name} title={q.text} hint={q.type === 'text' ? '选填' : '接通时必答'} error={errors[name]}>
      {q.type === 'text' ? <textarea name={name}>{values[name] ?? ''}</textarea> : <Choices name={name} items={items} chosen={values[name]} />}
    </Field>
  );
}

/** The record form; `values` and `errors` when it comes back with something to fix (400). */
export function callFormPage(view: CallFormView, action: string, values: CallFormValues = {}, errors: CallFormErrors = {}): string {
  const area = (name: string, title: string, hint = '选填') => (
    <Field name={name} title={title} hint={hint} error={errors[name]}>
      <textarea name={name}>{values[name] ?? ''}</textarea>
    </Field>
  );
  const problems = Object.keys(errors).length;
  return renderDocument(
    <Page title="客户回访记录">
      <CustomerCard view={view} />
      {problems > 0 ? (
        <p class="summary" role="alert">
          还有 {problems} 处需要填写或修改，请看下面标红的地方。
        </p>
      ) : null}
      <form method="post" action={action} noValidate>
        <input type="hidden" name="step" value="record" />
        <Field name="method" title="回访方式" hint="先电话，未接通再在线沟通，最后邮件" error={errors.method}>
          <Choices name="method" items={view.methods.map((m) => [m, METHOD_LABELS[m]] as const)} chosen={values.method} />
        </Field>
        <Field name="reached" title="是否联系上客户" hint="未接通只记一次尝试，可稍后再联系" error={errors.reached}>
          <Choices name="reached" items={[['yes', '已接通'], ['no', '未接通']]} chosen={values.reached} />
        </Field>
        {view.questions.map((q) => (
          <QuestionField q={q} values={values} errors={errors} />
        ))}
        {area('needs', '客户需求')}
        {OPINIONS.map(([key, title]) => area(`opinions.${key}`, title))}
        {area('complaints', '投诉与疑问', '选填，记客户的原话')}
        <Field name="inquiryValid" title="询盘有效性" hint="选填" error={errors.inquiryValid}>
          <Choices name="inquiryValid" items={[['yes', '有效'], ['no', '无效'], ['unknown', '不确定']]} chosen={values.inquiryValid} />
        </Field>
        {area('followUp', '后续跟进')}
        {area('notes', '备注', '选填，客户看不到')}
        <button type="submit">提交记录</button>
      </form>
    </Page>,
  );
}

/** The record as made (the link opened again), or what the form just did. */
export function callRecordPage(view: CallFormView, heading: string): string {
  const r = view.recorded ?? {};
  const opinions = (typeof r.opinions === 'object' && r.opinions !== null && !Array.isArray(r.opinions) ? r.opinions : {}) as Record<string, string | null>;
  const rows: Array<[string, unknown]> = [
    ...view.questions.map((q) => [q.text, r[q.key]] as [string, unknown]),
    ['客户需求', r.needs],
    ...OPINIONS.map(([key, title]) => [title, opinions[key]] as [string, unknown]),
    ['投诉与疑问', r.complaints],
    ['询盘有效性', r.inquiryValid === true ? '有效' : r.inquiryValid === false ? '无效' : null],
    ['后续跟进', r.followUp],
  ];
  return renderDocument(
    <Page title={heading}>
      <CustomerCard view={view} />
      <section data-section="record">
        <h1>{heading}</h1>
        {view.recorded ? (
          <dl>
            {rows
              .filter(([, v]) => v !== null && v !== undefined && v !== '')
              .map(([k, v]) => (
                <>
                  <dt>{k}</dt>
                  <dd>{String(v)}</dd>
                </>
              ))}
          </dl>
        ) : null}
      </section>
    </Page>,
  );
}
