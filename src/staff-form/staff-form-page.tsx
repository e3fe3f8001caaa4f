import type { VNode } from 'preact';
import { Notice } from '../http/html/form-parts';
import { LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS } from '../rules/shortcomings';
import { FieldErrors, FormValues } from './staff-form-input';
import { CallPerson, ChoiceField, ErrorSummary, HandlingSection, Header, History, levels, METHOD_CHOICES, RecordSection, ReviewSection, staffPage, StepForm, TextField } from './staff-form-parts';
import { StaffFormView } from './staff-form-view';

/*
 * The staff form's pages (`/f/:token`): the record form, the supervisor's review, the
 * manager's handling, the record read-only, and the answers after a step or a refusal.
 */
export { STAFF_FORM_PAGE_POLICY } from './staff-form-style';

const SOLVED_CHOICES = [
  { value: 'yes', label: '已解决' },
  { value: 'no', label: '未解决' },
];
const SHORTCOMING_CHOICES = SHORTCOMING_CODES.map((code) => ({ value: code, label: SHORTCOMING_LABELS[code] }));
const VERDICT_CHOICES = [
  { value: 'ok', label: '通过' },
  { value: 'unqualified', label: '不合格' },
];

/** The record form (SOP 4.4): method, the five items of docs/rules.md §3, solved, notes. */
export function recordFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  const state = { values, errors };
  return staffPage(
    '填写回访记录',
    <>
      <Header view={view} />
      <CallPerson view={view} role="住户" unnamed="（未登记姓名）" />
      <ErrorSummary errors={errors} />
      <StepForm action={action} step="record" submit="提交记录" after="提交后将请住户确认这份记录，并请您本人确认。">
        <RecordFields {...state} />
      </StepForm>
      <History view={view} open={false} />
    </>,
  );
}

/** The record's fields (method, the five items of docs/rules.md §3, solved, notes): the record form's and the console's correction. */
export function RecordFields({ values, errors }: { values: FormValues; errors: FieldErrors }): VNode {
  const state = { values, errors };
  const extra = values.shortcomingsText;
  return (
    <>
      <ChoiceField {...state} name="method" legend="回访方式" items={METHOD_CHOICES} className="two" />
      <ChoiceField {...state} name="quality" legend="质量评价" items={levels(LEVEL_LABELS)} />
      <ChoiceField {...state} name="effect" legend="服务效果评价" items={levels(LEVEL_LABELS)} />
      <ChoiceField {...state} name="satisfaction" legend="满意程度评价" items={levels(SATISFACTION_LABELS)} />
      <ChoiceField {...state} name="solved" legend="问题是否已解决" hint="选填" items={SOLVED_CHOICES} className="two" />
      <ChoiceField {...state} name="shortcomings" legend="缺点与不足" hint="可多选" type="checkbox" items={SHORTCOMING_CHOICES}>
        <input type="text" name="shortcomingsText" maxLength={500} placeholder="补充说明（选填）" aria-label="缺点补充说明" value={typeof extra === 'string' ? extra : ''} />
        {errors.shortcomingsText ? <p class="field-error">{errors.shortcomingsText}</p> : null}
      </ChoiceField>
      <TextField {...state} name="suggestions" legend="建议" hint="选填" />
      <TextField {...state} name="notes" legend="备注" hint="选填，住户看不到" />
    </>
  );
}

/** The supervisor's review (SOP 4.6): the record, then 通过 / 不合格 and 审核意见. */
export function reviewFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  const state = { values, errors };
  return staffPage(
    '审核回访记录',
    <>
      <Header view={view} />
      {view.record?.unqualified ? (
        <div class="warn" role="note">
          按评价结果判为不合格（有评价为「差」及以下，或问题未解决）。选择「不合格」将转管理处经理处理。
        </div>
      ) : null}
      <RecordSection view={view} />
      <ErrorSummary errors={errors} labels={{ opinion: '审核意见' }} />
      <StepForm action={action} step="review" submit="提交审核" after="通过即关闭回访；不合格转管理处经理处理。">
        <ChoiceField {...state} name="verdict" legend="审核结论" items={VERDICT_CHOICES} className="two verdict" />
        <TextField {...state} name="opinion" legend="审核意见" hint="选填，不填记为「同意」或「不合格」" />
      </StepForm>
      <History view={view} open={false} />
    </>,
  );
}

/** The manager's handling of an unqualified visit: the record, the supervisor's opinion, then 处理意见. */
export function handleFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  return staffPage(
    '处理不合格回访',
    <>
      <Header view={view} />
      <RecordSection view={view} />
      <ReviewSection view={view} />
      <ErrorSummary errors={errors} labels={{ opinion: '处理意见' }} />
      <StepForm action={action} step="handle" submit="提交处理意见" after="提交后处理意见写回记录，回访关闭。">
        <TextField values={values} errors={errors} name="opinion" legend="处理意见" hint="按客户投诉建议处理规程" required />
      </StepForm>
      <History view={view} open={false} />
    </>,
  );
}

/** The visit as it stands, read-only, with its whole history. */
export function viewPage(view: StaffFormView): string {
  return staffPage(
    '回访记录',
    <>
      <Header view={view} />
      <RecordSection view={view} />
      <ReviewSection view={view} />
      <HandlingSection view={view} />
      <History view={view} open />
    </>,
  );
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
  return staffPage(
    d.title,
    <Notice kind={kind} icon="✓" tone="ok" title={d.title} text={d.text}>
      <BackToRecord url={viewUrl} />
    </Notice>,
  );
}

function BackToRecord({ url }: { url: string }) {
  return (
    <a class="button secondary" href={url}>
      查看回访记录
    </a>
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
  return staffPage(
    n.title,
    <Notice kind={kind} icon={n.icon} tone={n.tone} title={n.title} text={n.text}>
      {options.statusLabel ? (
        <p>
          当前状态：<b>{options.statusLabel}</b>
        </p>
      ) : null}
      {options.viewUrl ? <BackToRecord url={options.viewUrl} /> : null}
    </Notice>,
  );
}
