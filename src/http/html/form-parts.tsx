import type { ComponentChildren, VNode } from 'preact';

/*
 * The parts the server-rendered forms and their answer pages share (survey, staff form,
 * warranty form): a question in its fieldset with what is wrong said beside it, a group of
 * large tap targets, and the notice that says where things stand. Each page styles them with
 * its own constant CSS (`.invalid`, `.field-error`, `.choices`, `.notice`).
 */

/**
 * One question or field: its legend, then — when the last post got it wrong — the reason in red
 * right under the legend (tied to the group for screen readers; `announce`: read out at once,
 * where the page has no summary that is), then its input.
 * `marker` names the data attribute that carries `name` (`data-field` unless said), the handle
 * pages' scripts and tests find a question by.
 */
export function Field(props: { name: string; legend: ComponentChildren; error?: string; marker?: 'field' | 'question'; announce?: boolean; children: ComponentChildren }): VNode {
  const errorId = `${props.name}-error`;
  const marked = { [`data-${props.marker ?? 'field'}`]: props.name };
  return (
    <fieldset {...marked} class={props.error ? 'invalid' : undefined} aria-invalid={props.error ? 'true' : undefined} aria-describedby={props.error ? errorId : undefined}>
      <legend>{props.legend}</legend>
      {props.error ? (
        <p class="field-error" id={errorId} role={props.announce ? 'alert' : undefined}>
          {props.error}
        </p>
      ) : null}
      {props.children}
    </fieldset>
  );
}

export interface ChoiceItem {
  value: string;
  label: string;
}

/**
 * Radio buttons or check boxes drawn as large tap targets (the input hidden, its label's span
 * the target). `chosen` are the values ticked; `exclusive` is the one value that stands alone
 * (无 among the shortcomings), marked for the page's script.
 */
export function Choices(props: { name: string; items: readonly ChoiceItem[]; chosen: ReadonlySet<string>; type?: 'radio' | 'checkbox'; className?: string; required?: boolean; exclusive?: string }): VNode {
  return (
    <div class={props.className ? `choices ${props.className}` : 'choices'}>
      {props.items.map((item) => (
        <label>
          <input
            type={props.type ?? 'radio'}
            name={props.name}
            value={item.value}
            checked={props.chosen.has(item.value)}
            required={props.required}
            data-exclusive={props.exclusive === item.value ? 'true' : undefined}
          />
          <span>{item.label}</span>
        </label>
      ))}
    </div>
  );
}

/** What a form post carried for `name`, as the set of values `Choices` shows ticked. */
export const chosenOf = (values: Record<string, string | string[] | undefined>, name: string): Set<string> => new Set([values[name] ?? []].flat());

/**
 * A page's one message — thanks, done, expired, refused — as a large icon (a plain character
 * in a circle, `tone` its colour), a heading and a sentence; `kind` names it for scripts and
 * tests. What follows (a way back, the current status) comes as children.
 */
export function Notice(props: { kind: string; icon: string; tone?: string; title: string; text: string; children?: ComponentChildren }): VNode {
  return (
    <div class="notice" data-notice={props.kind}>
      <div class={props.tone ? `big ${props.tone}` : 'big'} aria-hidden="true">
        {props.icon}
      </div>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      {props.children}
    </div>
  );
}
