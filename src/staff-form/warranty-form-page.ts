import { escapeHtml } from '../http/html-escape';
import { SATISFACTION_LABELS } from '../rules/answer-levels';
import { FieldErrors, FormValues } from './staff-form-input';
import { choices, errorSummary, header, historySection, levels, METHOD_CHOICES, page, textBox } from './staff-form-page';
import { StaffFormView } from './staff-form-view';
import { WARRANTY_FIELD_LABELS } from './warranty-form-input';

/**
 * The record form of a warranty visit (docs/rules.md §7), in place of the property form: the
 * state of roofs and walls, problems found, the owner's opinion, satisfaction, and the optional
 * meeting minutes (回访记要) of a visit with several parties. Posts `step=record` like the property
 * form; the same page rules (no script, large targets, what is missing said beside it).
 */
export function warrantyRecordFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  const owner = view.resident;
  const call = owner
    ? `<section class="call" data-section="resident"><div><div class="who">建设单位 ${escapeHtml(owner.name ?? '（未登记）')}</div><div class="phone">${escapeHtml(owner.phone ?? '未登记电话')}</div></div>${
        owner.phone ? `<a href="tel:${escapeHtml(owner.phone.replace(/[^0-9+]/g, ''))}">拨打电话</a>` : ''
      }</section>`
    : '';
  const common = { values, errors };
  return page(
    '填写保修回访记录',
    `${header(view)}${call}
${errorSummary(errors, WARRANTY_FIELD_LABELS, WARRANTY_FIELD_LABELS)}
<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8" novalidate data-form="warranty">
<input type="hidden" name="step" value="record">
${choices({ ...common, name: 'method', legend: '回访方式', items: METHOD_CHOICES, className: 'two' })}
${textBox({ ...common, name: 'roofsAndWalls', legend: '屋面、墙面情况', hint: '屋面、外墙、防水有无渗漏、裂缝', required: true })}
${textBox({ ...common, name: 'problemsFound', legend: '发现的问题', hint: '选填，没有可不填' })}
${textBox({ ...common, name: 'ownerOpinion', legend: '建设单位意见', hint: '选填' })}
${choices({ ...common, name: 'satisfaction', legend: '满意程度评价', items: levels(SATISFACTION_LABELS) })}
${textBox({ ...common, name: 'minutesAttendees', legend: '回访记要 · 参加人员', hint: '选填，多方参加的回访会议：每行一人，写明单位和姓名' })}
${textBox({ ...common, name: 'minutesSummary', legend: '回访记要 · 内容', hint: '选填，商定的事项；填了参加人员就要填' })}
${textBox({ ...common, name: 'notes', legend: '备注', hint: '选填，建设单位看不到' })}
<button type="submit">提交记录</button>
<p class="after">提交后将请建设单位确认这份记录，并请您本人确认。</p>
</form>
${historySection(view, false)}`,
  );
}
