import type { ComponentChildren, VNode } from 'preact';
import { Document, renderDocument } from '../http/html/document';
import { ChoiceItem, Choices, chosenOf, Field } from '../http/html/form-parts';
import { FIELD_LABELS, FieldErrors, FormValues } from './staff-form-input';
import { STAFF_FORM_CSS } from './staff-form-style';
import { StaffFormView, ViewRow } from './staff-form-view';

/*
 * The parts of the staff form's pages (property and warranty record, review, handling, the
 * record read-only): the frame, the visit's heading, whom to call, the fields with their
 * errors beside them, the record's sections and its history.
 */

/** A staff form page: the shared document frame with the form's CSS, one `main`. */
export function staffPage(title: string, body: ComponentChildren): string {
  return renderDocument(
    <Document title={title} css={STAFF_FORM_CSS} noindex>
      <main>{body}</main>
    </Document>,
  );
}

/** What a post carried, and what was wrong with it: every field of a form shows both. */
export interface FormState {
  values: FormValues;
  errors: FieldErrors;
}

/** A group of large radio or checkbox targets; an error marks it and says why. */
export function ChoiceField(props: FormState & { name: string; legend: string; hint?: string; items: readonly ChoiceItem[]; type?: 'radio' | 'checkbox'; className?: string; children?: ComponentChildren }): VNode {
  return (
    <Field name={props.name} legend={<Legend text={props.legend} hint={props.hint} />} error={props.errors[props.name]}>
      <Choices name={props.name} type={props.type} items={props.items} chosen={chosenOf(props.values, props.name)} className={props.className} />
      {props.children}
    </Field>
  );
}

/** A text box in its own fieldset. */
export function TextField(props: FormState & { name: string; legend: string; hint?: string; required?: boolean }): VNode {
  const value = props.values[props.name];
  return (
    <Field name={props.name} legend={<Legend text={props.legend} hint={props.hint} forId={`f-${props.name}`} />} error={props.errors[props.name]}>
      <textarea id={`f-${props.name}`} name={props.name} maxLength={2000} required={props.required}>
        {typeof value === 'string' ? value : ''}
      </textarea>
    </Field>
  );
}

function Legend({ text, hint, forId }: { text: string; hint?: string; forId?: string }): VNode {
  return (
    <>
      {forId ? <label for={forId}>{text}</label> : text}
      {hint ? (
        <>
          {' '}
          <span class="hint">{hint}</span>
        </>
      ) : null}
    </>
  );
}

/** "请检查：回访方式、质量评价" above the form, fields in the form's order. */
export function ErrorSummary({ errors, labels = {}, fields = FIELD_LABELS }: { errors: FieldErrors; labels?: Record<string, string>; fields?: Readonly<Record<string, string>> }): VNode | null {
  const named = Object.keys(fields).filter((f) => errors[f]);
  const other = Object.keys(errors).filter((f) => !fields[f]);
  if (named.length + other.length === 0) return null;
  const label = (f: string) => labels[f] ?? FIELD_LABELS[f] ?? f;
  return (
    <div class="error" role="alert">
      请检查：{[...named, ...other].map(label).join('、')}
    </div>
  );
}

/**
 * A step's form: posts back to the link with `step`, its fields, the submit button and what
 * happens after it. `data-form` names a form that is not the property form.
 */
export function StepForm(props: { action: string; step: 'record' | 'review' | 'handle'; submit: string; after: string; form?: string; children: ComponentChildren }): VNode {
  return (
    <form method="post" action={props.action} accept-charset="utf-8" noValidate data-form={props.form}>
      <input type="hidden" name="step" value={props.step} />
      {props.children}
      <button type="submit">{props.submit}</button>
      <p class="after">{props.after}</p>
    </form>
  );
}

/** The visit's heading: title, kind and reference, status, window. */
export function Header({ view }: { view: StaffFormView }): VNode {
  const tone = view.status === 'closed' ? ' done' : view.status === 'unqualified' || view.status === 'escalated' ? ' bad' : '';
  return (
    <>
      <h1>{view.title}</h1>
      <div class="meta">
        {view.kindLabel} · {view.referenceLabel} {view.workOrderId}
        {view.unit ? ` · ${view.unit}` : ''}
      </div>
      <div>
        <span class={`status${tone}`} data-status={view.status}>
          {view.statusLabel}
        </span>
        {view.late ? <span class="status late">逾期完成</span> : null}
      </div>
      <div class="meta">回访时间：{view.window}</div>
    </>
  );
}

/** Whom the record form is about (resident, or a warranty visit's owner), with a call button. */
export function CallPerson({ view, role, unnamed }: { view: StaffFormView; role: string; unnamed: string }): VNode | null {
  const person = view.resident;
  if (!person) return null;
  return (
    <section class="call" data-section="resident">
      <div>
        <div class="who">
          {role} {person.name ?? unnamed}
        </div>
        <div class="phone">{person.phone ?? '未登记电话'}</div>
      </div>
      {person.phone ? <a href={`tel:${person.phone.replace(/[^0-9+]/g, '')}`}>拨打电话</a> : null}
    </section>
  );
}

function Rows({ items }: { items: ViewRow[] }): VNode {
  return (
    <dl>
      {items.map((r) => (
        <div class="row">
          <dt>{r.label}</dt>
          <dd>{r.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function RecordPart({ name, title, rows }: { name: string; title: string; rows: ViewRow[] }): VNode {
  return (
    <section data-section={name}>
      <h2>{title}</h2>
      <Rows items={rows} />
    </section>
  );
}

export function RecordSection({ view }: { view: StaffFormView }): VNode {
  const r = view.record;
  if (!r) {
    return (
      <section data-section="record">
        <h2>回访记录</h2>
        <p>尚未记录。</p>
      </section>
    );
  }
  const rows = [
    { label: '回访方式', value: r.methodLabel },
    { label: '记录人', value: `${r.recorderName}（${r.recordedAt}）` },
    ...r.rows,
    ...(r.notes ? [{ label: '备注', value: r.notes }] : []),
    { label: '住户确认', value: r.residentConfirmation },
    { label: '员工确认', value: r.staffConfirmation },
  ];
  return <RecordPart name="record" title="回访记录" rows={rows} />;
}

export function ReviewSection({ view }: { view: StaffFormView }): VNode | null {
  const r = view.review;
  if (!r) return null;
  const rows = [
    { label: '审核人', value: `${r.reviewerName}（${r.at}）` },
    { label: '审核结论', value: r.verdictLabel },
    { label: '审核意见', value: r.opinion },
  ];
  return <RecordPart name="review" title="主管审核" rows={rows} />;
}

export function HandlingSection({ view }: { view: StaffFormView }): VNode | null {
  const h = view.handling;
  if (!h) return null;
  const rows = [
    { label: '处理人', value: `${h.handlerName}（${h.at}）` },
    { label: '处理意见', value: h.opinion },
  ];
  return <RecordPart name="handling" title="经理处理" rows={rows} />;
}

/** The visit's history, folded away under a form, open on the read-only page. */
export function History({ view, open }: { view: StaffFormView; open: boolean }): VNode {
  return (
    <section data-section="history">
      <details open={open}>
        <summary>处理记录（{view.history.length} 条）</summary>
        <ol class="history">
          {view.history.map((h) => (
            <li>
              <span class="when">
                {h.at} · {h.who}
              </span>
              {h.what}
            </li>
          ))}
        </ol>
      </details>
    </section>
  );
}

export const METHOD_CHOICES: readonly ChoiceItem[] = [
  { value: 'phone', label: '电话' },
  { value: 'onsite', label: '上门' },
  { value: 'face_to_face', label: '面谈' },
  { value: 'chat', label: '在线' },
];

/** Five levels, best first, in the words of `labels`. */
export const levels = (labels: Readonly<Record<number, string>>): ChoiceItem[] => [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: labels[n] }));
