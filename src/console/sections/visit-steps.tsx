import type { VNode } from 'preact';
import { Visit } from '../../../entities';
import { DomainError } from '../../errors';
import { isWarrantyVisitKind } from '../../rules/kinds';
import { FIELD_LABELS, FieldErrors, FormValues, parseHandleForm, parseRecordForm } from '../../staff-form/staff-form-input';
import { RecordFields } from '../../staff-form/staff-form-page';
import { StaffAction } from '../../visits/visit-lifecycle';
import { hasRole } from '../console-user';
import { SectionDeps } from '../section';
import { VisitStep } from './visit-act';

/**
 * The manager's handling of an escalated visit (docs/rules.md §4): their opinion, required,
 * parsed as the staff form parses it, then the lifecycle's `handle` — the admin API's command.
 */
export const handleStep: VisitStep = {
  may: (user, visit) => hasRole(user, visit.officeId, 'manager'),
  run: (form, visit, lifecycle, by) => {
    const input = parseHandleForm(form);
    if (!input.ok) throw new DomainError('invalid_request', 'opinion：请填写处理意见（最多 2000 字）', 400);
    return lifecycle.run(visit.id, { type: 'handle', ...input.value }, by);
  },
};

/**
 * A correction of a recorded visit by the record's author until it is reviewed (the lifecycle
 * decides who and when, as for `POST /api/visits/:id/correct`): the record's fields parsed as
 * the staff form parses them, kept in the history with the answers before and after.
 */
export const correctStep: VisitStep = {
  may: (_user, visit) => correctable(visit),
  run: (form, visit, lifecycle, by) => {
    const input = parseRecordForm(form);
    if (!input.ok) throw new DomainError('invalid_request', `请检查：${Object.keys(input.errors).map((field) => FIELD_LABELS[field] ?? field).join('、')}`, 400);
    return lifecycle.run(visit.id, { type: 'correct', ...input.value }, by);
  },
};

/** The console corrects a property visit's record; warranty and campaign calls are corrected through their own forms or the API. */
function correctable(visit: Visit): boolean {
  return visit.kind !== 'campaign' && !isWarrantyVisitKind(visit.kind);
}

/** The record link for a visitor who may record: the signed staff form (`/f/:token`), one set of record rules. */
export function recordLink(deps: SectionDeps, visit: Visit, staffId: string, now: Date): string {
  return `/f/${deps.links.issue({ visitId: visit.id, purpose: 'record', staffId }, now)}`;
}

/** The steps the page offers, from what the lifecycle would allow this person now. */
export function offeredSteps(allowed: StaffAction[], visit: Visit): { record: boolean; handle: boolean; correct: boolean } {
  return { record: allowed.includes('record'), handle: allowed.includes('handle'), correct: allowed.includes('correct') && correctable(visit) };
}

export function RecordLink({ href }: { href: string }): VNode {
  return (
    <section data-section="record">
      <h2>填写记录</h2>
      <p>
        <a href={href}>打开回访记录表</a>（与企业微信/钉钉中的记录表相同，7 天内有效）
      </p>
    </section>
  );
}

export function HandleForm({ visitId }: { visitId: number }): VNode {
  return (
    <section data-section="handle">
      <h2>经理处理</h2>
      <form method="post" action={`/console/visits/${visitId}/handle`} class="filters">
        <textarea name="opinion" aria-label="处理意见" placeholder="处理意见（必填）" maxLength={2000} />
        <button type="submit">提交处理意见</button>
      </form>
    </section>
  );
}

/** The record as it stands, to be changed and sent again whole (a correction replaces the answers). */
export function CorrectForm({ visitId, values, errors = {} }: { visitId: number; values: FormValues; errors?: FieldErrors }): VNode {
  return (
    <section data-section="correct">
      <h2>更正记录</h2>
      <form method="post" action={`/console/visits/${visitId}/correct`} accept-charset="utf-8" noValidate>
        <RecordFields values={values} errors={errors} />
        <button type="submit">保存更正</button>
      </form>
    </section>
  );
}

/** A recorded visit's answers as the record form's values, for the correction form. */
export function recordValues(visit: Visit): FormValues {
  const values: FormValues = {};
  const put = (name: string, value: unknown) => {
    if (value !== null && value !== undefined) values[name] = String(value);
  };
  put('method', visit.method);
  put('quality', visit.quality);
  put('effect', visit.effect);
  put('satisfaction', visit.satisfaction);
  if (visit.solved !== null) values.solved = visit.solved ? 'yes' : 'no';
  values.shortcomings = visit.shortcomings ?? [];
  put('shortcomingsText', visit.shortcomingsText);
  put('suggestions', visit.suggestions);
  put('notes', visit.notes);
  return values;
}
