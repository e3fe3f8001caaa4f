import type { ComponentChildren, VNode } from 'preact';
import { FieldProblems } from './office-edit';

/** The form fields as the person sent them (after a refused save) or as stored. */
export type FormValues = Record<string, string>;

/**
 * One labelled field with its explanation and, after a refused save, the problem right under
 * it (`role="alert"`, tied to the input by `aria-describedby`).
 */
export function Field(props: { name: string; label: string; hint?: ComponentChildren; problem?: string; children: (describedBy: string | undefined) => VNode }): VNode {
  const problemId = `problem-${props.name}`;
  return (
    <div class={props.problem ? 'field bad' : 'field'} data-field={props.name}>
      <label for={`f-${props.name}`}>{props.label}</label>
      {props.children(props.problem ? problemId : undefined)}
      {props.hint ? <p class="muted hint">{props.hint}</p> : null}
      {props.problem ? (
        <p class="problem" id={problemId} role="alert" data-problem={props.name}>
          {props.problem}
        </p>
      ) : null}
    </div>
  );
}

/** A text input in a {@link Field}. */
export function TextField(props: { name: string; label: string; values: FormValues; problems?: FieldProblems; problemKey?: string; hint?: ComponentChildren; placeholder?: string; inputMode?: 'numeric' | 'decimal' }): VNode {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} problem={props.problems?.get(props.problemKey ?? props.name)}>
      {(describedBy) => (
        <input type="text" id={`f-${props.name}`} name={props.name} value={props.values[props.name] ?? ''} placeholder={props.placeholder} inputMode={props.inputMode} aria-invalid={describedBy ? 'true' : undefined} aria-describedby={describedBy} />
      )}
    </Field>
  );
}

/** A choice in a {@link Field}; `''` is the "default" choice when offered. */
export function SelectField(props: { name: string; label: string; values: FormValues; options: [string, string][]; problems?: FieldProblems; problemKey?: string; hint?: ComponentChildren }): VNode {
  return (
    <Field name={props.name} label={props.label} hint={props.hint} problem={props.problems?.get(props.problemKey ?? props.name)}>
      {(describedBy) => (
        <select id={`f-${props.name}`} name={props.name} aria-invalid={describedBy ? 'true' : undefined} aria-describedby={describedBy}>
          {props.options.map(([value, label]) => (
            <option value={value} selected={(props.values[props.name] ?? '') === value}>
              {label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A setup form posting to `action`: its fields, disabled for someone who may only look
 * (`editable` false: no button, nothing to send), the office's version, and the problems no
 * field owns at the top.
 */
export function SetupForm(props: { action: string; version: string; editable: boolean; button: string; problems?: FieldProblems; ownFields?: (field: string) => boolean; children: ComponentChildren }): VNode {
  const loose = [...(props.problems ?? [])].filter(([field]) => !props.ownFields?.(field));
  return (
    <form method="post" action={props.action} class="setup">
      {loose.length > 0 ? (
        <p class="alert" role="alert" data-problem="form">
          {loose.map(([field, message]) => `${field === 'version' ? '' : `${field}：`}${message}`).join('；')}
        </p>
      ) : null}
      <input type="hidden" name="version" value={props.version} />
      <fieldset disabled={!props.editable}>{props.children}</fieldset>
      {props.editable ? <button type="submit">{props.button}</button> : <ReadOnly />}
    </form>
  );
}

/** The answer of a refused save: the page again with the problems, status 400 (409 when the office changed meanwhile). */
export const refusedStatus = (problems: FieldProblems): number => (problems.has('version') ? 409 : 400);

/** Said where someone may look but not change (a supervisor). */
export const ReadOnly = (): VNode => <p class="muted" data-read-only>只读：修改请联系管理处经理。</p>;
