import { LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS } from '../rules/shortcomings';
import { FIELD_LABELS, FieldErrors, FormValues } from './staff-form-input';
import { StaffFormView } from './staff-form-view';
import { escapeHtml } from '../http/html-escape';
import { pagePolicy } from '../http/page-security';

/*
 * The staff form's pages: self-contained mobile HTML like the resident's survey page — inline
 * CSS, no script, no CDN, plain form posts — so they open in WeCom's and DingTalk's in-app
 * browsers. Choices are radio buttons and checkboxes styled as large tap targets. Layout uses
 * margins rather than flex `gap`, which older in-app WebViews lack.
 */


const STYLE = `
*{box-sizing:border-box}html{-webkit-text-size-adjust:100%}
body{margin:0;font:17px/1.55 -apple-system,"PingFang SC","Hiragino Sans GB","Microsoft YaHei","Noto Sans CJK SC",sans-serif;background:#f4f5f7;color:#1f2329;word-break:break-word}
main{max-width:560px;margin:0 auto;padding:16px 14px 32px}
h1{font-size:21px;line-height:1.35;margin:6px 0 4px}h2{font-size:17px;margin:0 0 8px}
.meta{color:#646a73;font-size:15px;margin-bottom:10px}
.status{display:inline-block;font-size:14px;font-weight:600;padding:3px 10px;border-radius:999px;background:#e1eaff;color:#1d4ed8;margin:0 6px 6px 0}
.status.late{background:#fff3e0;color:#b45309}.status.bad{background:#fff0f0;color:#c0262d}.status.done{background:#e8f7ee;color:#1a7f43}
section,fieldset,.box{background:#fff;border-radius:12px;margin:0 0 12px;padding:12px}
fieldset{border:2px solid transparent;padding:12px 12px 8px;min-width:0}
fieldset.invalid{border-color:#e5484d}
legend{font-weight:600;padding:0;margin-bottom:8px;float:left;width:100%}
.hint{color:#646a73;font-weight:400;font-size:14px}
.field-error{clear:both;color:#c0262d;font-size:15px;margin:0 0 6px;font-weight:600}
.choices{display:flex;flex-wrap:wrap;margin:-4px;clear:both}
.choices label{position:relative;flex:1 1 28%;min-width:88px;margin:4px}
.choices.two label{flex-basis:40%}
.choices input{position:absolute;top:0;left:0;opacity:0;width:1px;height:1px}
.choices span{display:flex;align-items:center;justify-content:center;text-align:center;padding:10px 6px;border:2px solid #dee0e3;border-radius:10px;background:#fff;min-height:52px;font-size:17px}
.choices input:checked+span{border-color:#3370ff;background:#e1eaff;color:#1d4ed8;font-weight:600}
.choices input:focus-visible+span{outline:3px solid #93b4ff}
.choices.verdict span{min-height:60px;font-size:19px}
.choices.verdict input[value=unqualified]:checked+span{border-color:#e5484d;background:#fff0f0;color:#c0262d}
textarea,input[type=text]{width:100%;font:inherit;font-size:17px;padding:10px;border:2px solid #dee0e3;border-radius:10px;display:block;clear:both;background:#fff;color:inherit}
textarea{min-height:96px}input[type=text]{margin-top:10px;min-height:48px}
textarea:focus,input[type=text]:focus{border-color:#3370ff;outline:0}
button,.button{display:block;width:100%;font-size:19px;line-height:1.3;padding:16px;border:0;border-radius:12px;background:#3370ff;color:#fff;font-weight:600;text-align:center;text-decoration:none;margin:4px 0 8px}
.button.secondary{background:#fff;color:#1d4ed8;border:2px solid #c9d7ff}
.after{color:#646a73;font-size:14px;text-align:center;margin:0 0 20px}
.error{background:#fff0f0;color:#c0262d;border-radius:10px;padding:10px 12px;margin-bottom:12px;font-weight:600}
.warn{background:#fff3e0;color:#8a4b00;border-radius:10px;padding:10px 12px;margin:0 0 12px}
.call{display:flex;align-items:center;justify-content:space-between}
.call .who{font-weight:600}.call .phone{color:#646a73;font-size:15px}
.call a{flex:0 0 auto;margin-left:12px;padding:12px 16px;border-radius:10px;background:#1a7f43;color:#fff;font-weight:600;text-decoration:none;min-height:48px}
dl{margin:0}dl .row{display:flex;align-items:baseline;padding:4px 0}
dt{flex:0 0 7.5em;margin-right:8px;color:#646a73;font-size:15px}dd{flex:1 1 auto;min-width:0;margin:0;font-weight:600;white-space:pre-wrap}
ol.history{list-style:none;margin:0;padding:0}
ol.history li{padding:8px 0;border-top:1px solid #eff0f1}ol.history li:first-child{border-top:0}
ol.history .when{color:#646a73;font-size:14px;display:block}
details summary{font-weight:600;min-height:44px;padding:10px 0;cursor:pointer}
.notice{background:#fff;border-radius:12px;padding:28px 16px 16px;text-align:center;margin-top:32px}
.notice .big{width:60px;height:60px;margin:0 auto 8px;border-radius:50%;font:700 34px/60px Arial,sans-serif;color:#fff;background:#3370ff}
.notice .big.ok{background:#1a7f43}.notice .big.stop{background:#c0262d}.notice .big.wait{background:#d97706}.notice .big.none{background:#8f959e}
.notice p{margin:8px 0 20px}
`;

/** The Content-Security-Policy of every staff form page: its own CSS, no script. */
export const STAFF_FORM_PAGE_POLICY = pagePolicy({ styles: [STYLE] });

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const one = (values: FormValues, name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);

/** A group of large radio or checkbox targets; `invalid` marks it and says why. */
export function choices(options: {
  name: string;
  legend: string;
  hint?: string;
  type?: 'radio' | 'checkbox';
  items: { value: string; label: string }[];
  values: FormValues;
  errors: FieldErrors;
  required?: boolean;
  className?: string;
  extra?: string;
}): string {
  const type = options.type ?? 'radio';
  const chosen = new Set([options.values[options.name] ?? []].flat());
  const error = options.errors[options.name];
  const items = options.items
    .map(
      (i) =>
        `<label><input type="${type}" name="${options.name}" value="${escapeHtml(i.value)}"${chosen.has(i.value) ? ' checked' : ''}${options.required ? ' required' : ''}><span>${escapeHtml(i.label)}</span></label>`,
    )
    .join('');
  return `<fieldset data-field="${options.name}"${error ? ' class="invalid" aria-invalid="true"' : ''}><legend>${escapeHtml(options.legend)}${options.hint ? ` <span class="hint">${escapeHtml(options.hint)}</span>` : ''}</legend>${
    error ? `<p class="field-error">${escapeHtml(error)}</p>` : ''
  }<div class="choices${options.className ? ` ${options.className}` : ''}">${items}</div>${options.extra ?? ''}</fieldset>`;
}

/** A text box in its own fieldset. */
export function textBox(options: { name: string; legend: string; hint?: string; values: FormValues; errors: FieldErrors; required?: boolean; placeholder?: string }): string {
  const error = options.errors[options.name];
  return `<fieldset data-field="${options.name}"${error ? ' class="invalid" aria-invalid="true"' : ''}><legend><label for="f-${options.name}">${escapeHtml(options.legend)}</label>${
    options.hint ? ` <span class="hint">${escapeHtml(options.hint)}</span>` : ''
  }</legend>${error ? `<p class="field-error">${escapeHtml(error)}</p>` : ''}<textarea id="f-${options.name}" name="${options.name}" maxlength="2000"${options.required ? ' required' : ''}${
    options.placeholder ? ` placeholder="${escapeHtml(options.placeholder)}"` : ''
  }>${escapeHtml(one(options.values, options.name) ?? '')}</textarea></fieldset>`;
}

/** "请检查：回访方式、质量评价" above the form, fields in the form's order. */
export function errorSummary(errors: FieldErrors, labels: Record<string, string> = {}, fields: Readonly<Record<string, string>> = FIELD_LABELS): string {
  const named = Object.keys(fields).filter((f) => errors[f]);
  const other = Object.keys(errors).filter((f) => !fields[f]);
  if (named.length + other.length === 0) return '';
  const label = (f: string) => labels[f] ?? FIELD_LABELS[f] ?? f;
  return `<div class="error" role="alert">请检查：${escapeHtml([...named, ...other].map(label).join('、'))}</div>`;
}

export function header(view: StaffFormView): string {
  const tone = view.status === 'closed' ? ' done' : view.status === 'unqualified' || view.status === 'escalated' ? ' bad' : '';
  return `<h1>${escapeHtml(view.title)}</h1><div class="meta">${escapeHtml(view.kindLabel)} · ${escapeHtml(view.referenceLabel)} ${escapeHtml(view.workOrderId)}${view.unit ? ` · ${escapeHtml(view.unit)}` : ''}</div>
<div><span class="status${tone}" data-status="${view.status}">${escapeHtml(view.statusLabel)}</span>${view.late ? '<span class="status late">逾期完成</span>' : ''}</div>
<div class="meta">回访时间：${escapeHtml(view.window)}</div>`;
}

function rows(items: { label: string; value: string }[]): string {
  return `<dl>${items.map((r) => `<div class="row"><dt>${escapeHtml(r.label)}</dt><dd>${escapeHtml(r.value)}</dd></div>`).join('')}</dl>`;
}

function recordSection(view: StaffFormView): string {
  const r = view.record;
  if (!r) return `<section data-section="record"><h2>回访记录</h2><p>尚未记录。</p></section>`;
  return `<section data-section="record"><h2>回访记录</h2>${rows([
    { label: '回访方式', value: r.methodLabel },
    { label: '记录人', value: `${r.recorderName}（${r.recordedAt}）` },
    ...r.rows,
    ...(r.notes ? [{ label: '备注', value: r.notes }] : []),
    { label: '住户确认', value: r.residentConfirmation },
    { label: '员工确认', value: r.staffConfirmation },
  ])}</section>`;
}

function reviewSection(view: StaffFormView): string {
  const r = view.review;
  if (!r) return '';
  return `<section data-section="review"><h2>主管审核</h2>${rows([
    { label: '审核人', value: `${r.reviewerName}（${r.at}）` },
    { label: '审核结论', value: r.verdictLabel },
    { label: '审核意见', value: r.opinion },
  ])}</section>`;
}

function handlingSection(view: StaffFormView): string {
  const h = view.handling;
  if (!h) return '';
  return `<section data-section="handling"><h2>经理处理</h2>${rows([
    { label: '处理人', value: `${h.handlerName}（${h.at}）` },
    { label: '处理意见', value: h.opinion },
  ])}</section>`;
}

export function historySection(view: StaffFormView, open: boolean): string {
  const items = view.history
    .map((h) => `<li><span class="when">${escapeHtml(h.at)} · ${escapeHtml(h.who)}</span>${escapeHtml(h.what)}</li>`)
    .join('');
  return `<section data-section="history"><details${open ? ' open' : ''}><summary>处理记录（${view.history.length} 条）</summary><ol class="history">${items}</ol></details></section>`;
}

export const METHOD_CHOICES = [
  { value: 'phone', label: '电话' },
  { value: 'onsite', label: '上门' },
  { value: 'face_to_face', label: '面谈' },
  { value: 'chat', label: '在线' },
];

export const levels = (labels: Record<number, string>) => [5, 4, 3, 2, 1].map((n) => ({ value: String(n), label: labels[n] }));

/** The record form (SOP 4.4): method, the five items of docs/rules.md §3, solved, notes. */
export function recordFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  const resident = view.resident;
  const call = resident
    ? `<section class="call" data-section="resident"><div><div class="who">住户 ${escapeHtml(resident.name ?? '（未登记姓名）')}</div><div class="phone">${escapeHtml(resident.phone ?? '未登记电话')}</div></div>${
        resident.phone ? `<a href="tel:${escapeHtml(resident.phone.replace(/[^0-9+]/g, ''))}">拨打电话</a>` : ''
      }</section>`
    : '';
  const common = { values, errors };
  return page(
    '填写回访记录',
    `${header(view)}${call}
${errorSummary(errors)}
<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8" novalidate>
<input type="hidden" name="step" value="record">
${choices({ ...common, name: 'method', legend: '回访方式', items: METHOD_CHOICES, className: 'two' })}
${choices({ ...common, name: 'quality', legend: '质量评价', items: levels(LEVEL_LABELS) })}
${choices({ ...common, name: 'effect', legend: '服务效果评价', items: levels(LEVEL_LABELS) })}
${choices({ ...common, name: 'satisfaction', legend: '满意程度评价', items: levels(SATISFACTION_LABELS) })}
${choices({ ...common, name: 'solved', legend: '问题是否已解决', hint: '选填', items: [{ value: 'yes', label: '已解决' }, { value: 'no', label: '未解决' }], className: 'two' })}
${choices({
  ...common,
  name: 'shortcomings',
  legend: '缺点与不足',
  hint: '可多选',
  type: 'checkbox',
  items: SHORTCOMING_CODES.map((code) => ({ value: code, label: SHORTCOMING_LABELS[code] })),
  extra: `<input type="text" name="shortcomingsText" maxlength="500" placeholder="补充说明（选填）" aria-label="缺点补充说明" value="${escapeHtml(one(values, 'shortcomingsText') ?? '')}">${
    errors.shortcomingsText ? `<p class="field-error">${escapeHtml(errors.shortcomingsText)}</p>` : ''
  }`,
})}
${textBox({ ...common, name: 'suggestions', legend: '建议', hint: '选填' })}
${textBox({ ...common, name: 'notes', legend: '备注', hint: '选填，住户看不到' })}
<button type="submit">提交记录</button>
<p class="after">提交后将请住户确认这份记录，并请您本人确认。</p>
</form>
${historySection(view, false)}`,
  );
}

/** The supervisor's review (SOP 4.6): the record, then 通过 / 不合格 and 审核意见. */
export function reviewFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  const warn = view.record?.unqualified
    ? '<div class="warn" role="note">按评价结果判为不合格（有评价为「差」及以下，或问题未解决）。选择「不合格」将转管理处经理处理。</div>'
    : '';
  return page(
    '审核回访记录',
    `${header(view)}${warn}${recordSection(view)}
${errorSummary(errors, { opinion: '审核意见' })}
<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8" novalidate>
<input type="hidden" name="step" value="review">
${choices({ values, errors, name: 'verdict', legend: '审核结论', items: [{ value: 'ok', label: '通过' }, { value: 'unqualified', label: '不合格' }], className: 'two verdict' })}
${textBox({ values, errors, name: 'opinion', legend: '审核意见', hint: '选填，不填记为「同意」或「不合格」' })}
<button type="submit">提交审核</button>
<p class="after">通过即关闭回访；不合格转管理处经理处理。</p>
</form>
${historySection(view, false)}`,
  );
}

/** The manager's handling of an unqualified visit: the record, the supervisor's opinion, then 处理意见. */
export function handleFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  return page(
    '处理不合格回访',
    `${header(view)}${recordSection(view)}${reviewSection(view)}
${errorSummary(errors, { opinion: '处理意见' })}
<form method="post" action="${escapeHtml(action)}" accept-charset="utf-8" novalidate>
<input type="hidden" name="step" value="handle">
${textBox({ values, errors, name: 'opinion', legend: '处理意见', hint: '按客户投诉建议处理规程', required: true })}
<button type="submit">提交处理意见</button>
<p class="after">提交后处理意见写回记录，回访关闭。</p>
</form>
${historySection(view, false)}`,
  );
}

/** The visit as it stands, read-only, with its whole history. */
export function viewPage(view: StaffFormView): string {
  return page('回访记录', `${header(view)}${recordSection(view)}${reviewSection(view)}${handlingSection(view)}${historySection(view, true)}`);
}

export type DoneKind = 'recorded' | 'recorded_unqualified' | 'reviewed_ok' | 'reviewed_unqualified' | 'handled';

const DONE: Record<DoneKind, { title: string; text: string }> = {
  recorded: { title: '回访记录已提交', text: '系统将请住户确认这份记录（代替签字），并请您本人确认。主管会审核这份记录。' },
  recorded_unqualified: {
    title: '回访记录已提交',
    text: '按评价结果，本次回访判为不合格，已提交主管审核。系统将请住户确认这份记录（代替签字），并请您本人确认。',
  },
  reviewed_ok: { title: '审核已提交：通过', text: '回访已关闭。' },
  reviewed_unqualified: { title: '审核已提交：不合格', text: '已转管理处经理按客户投诉建议处理规程处理。' },
  handled: { title: '处理意见已提交', text: '处理意见已写回回访记录，回访已关闭。' },
};

/** After a step was taken: what happens next, and the way back to the record. */
export function donePage(kind: DoneKind, viewUrl: string): string {
  const d = DONE[kind];
  return page(
    d.title,
    `<div class="notice" data-notice="${kind}"><div class="big ok" aria-hidden="true">✓</div><h1>${escapeHtml(d.title)}</h1><p>${escapeHtml(d.text)}</p><a class="button secondary" href="${escapeHtml(viewUrl)}">查看回访记录</a></div>`,
  );
}

export type StaffNoticeKind = 'invalid' | 'expired' | 'forbidden' | 'conflict' | 'cancelled' | 'not_recordable' | 'archived' | 'too_large' | 'bad_request' | 'failed';

/*
 * Icons are plain characters in a coloured circle (✓ × ! –), present in every phone's and
 * server's fonts; emoji such as ⌛ are not, and show as an empty box where they are missing.
 */
const NOTICES: Record<StaffNoticeKind, { icon: string; tone: 'ok' | 'stop' | 'wait' | 'none'; title: string; text: string }> = {
  invalid: { icon: '×', tone: 'stop', title: '链接无效', text: '无法识别这个链接。请从企业微信或钉钉里的最新卡片重新打开。' },
  expired: { icon: '!', tone: 'wait', title: '链接已过期', text: '链接有效期为 7 天。请从最新的提醒卡片重新打开，或请主管重新发送。' },
  forbidden: { icon: '×', tone: 'stop', title: '无权操作', text: '这个链接不属于本处在职员工，或您没有这一步的权限。' },
  conflict: { icon: '✓', tone: 'ok', title: '已处理', text: '这项回访已经有人处理过，或状态已变化，无需再次提交。' },
  cancelled: { icon: '–', tone: 'none', title: '回访已取消', text: '这项回访已取消，无需处理。' },
  not_recordable: { icon: '!', tone: 'wait', title: '暂不能记录', text: '这项回访还不能记录，请在回访时间内再打开。' },
  archived: { icon: '✓', tone: 'none', title: '已归档', text: '该季度的回访记录已归档，只能查看，不能修改。' },
  too_large: { icon: '×', tone: 'stop', title: '内容过长', text: '填写的内容太长，请返回缩短后再提交。' },
  bad_request: { icon: '×', tone: 'stop', title: '无法读取提交的内容', text: '请返回重新提交。' },
  failed: { icon: '!', tone: 'stop', title: '暂时无法处理', text: '请稍后再试。如果一直如此，请联系系统管理员。' },
};

/** A clear page for a link or a step that cannot go on; never an error trace. */
export function staffNoticePage(kind: StaffNoticeKind, options: { statusLabel?: string; viewUrl?: string } = {}): string {
  const n = NOTICES[kind];
  const status = options.statusLabel ? `<p>当前状态：<b>${escapeHtml(options.statusLabel)}</b></p>` : '';
  const back = options.viewUrl ? `<a class="button secondary" href="${escapeHtml(options.viewUrl)}">查看回访记录</a>` : '';
  return page(n.title, `<div class="notice" data-notice="${kind}"><div class="big ${n.tone}" aria-hidden="true">${n.icon}</div><h1>${escapeHtml(n.title)}</h1><p>${escapeHtml(n.text)}</p>${status}${back}</div>`);
}
