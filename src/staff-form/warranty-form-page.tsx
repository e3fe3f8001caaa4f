import { SATISFACTION_LABELS } from '../rules/answer-levels';
import { FieldErrors, FormValues } from './staff-form-input';
import { CallPerson, ChoiceField, ErrorSummary, Header, History, levels, METHOD_CHOICES, staffPage, StepForm, TextField } from './staff-form-parts';
import { StaffFormView } from './staff-form-view';
import { WARRANTY_FIELD_LABELS } from './warranty-form-input';

/**
 * The record form of a warranty visit (docs/rules.md §7), in place of the property form: the
 * state of roofs and walls, problems found, the owner's opinion, satisfaction, and the optional
 * meeting minutes (回访记要) of a visit with several parties. Posts `step=record` like the property
 * form, in the same frame and parts (no script, large targets, what is missing said beside it).
 */
export function warrantyRecordFormPage(view: StaffFormView, action: string, values: FormValues = {}, errors: FieldErrors = {}): string {
  const state = { values, errors };
  return staffPage(
    '填写保修回访记录',
    <>
      <Header view={view} />
      <CallPerson view={view} role="建设单位" unnamed="（未登记）" />
      <ErrorSummary errors={errors} labels={WARRANTY_FIELD_LABELS} fields={WARRANTY_FIELD_LABELS} />
      <StepForm action={action} step="record" form="warranty" submit="提交记录" after="提交后将请建设单位确认这份记录，并请您本人确认。">
        <ChoiceField {...state} name="method" legend="回访方式" items={METHOD_CHOICES} className="two" />
        <TextField {...state} name="roofsAndWalls" legend="屋面、墙面情况" hint="屋面、外墙、防水有无渗漏、裂缝" required />
        <TextField {...state} name="problemsFound" legend="发现的问题" hint="选填，没有可不填" />
        <TextField {...state} name="ownerOpinion" legend="建设单位意见" hint="选填" />
        <ChoiceField {...state} name="satisfaction" legend="满意程度评价" items={levels(SATISFACTION_LABELS)} />
        <TextField {...state} name="minutesAttendees" legend="回访记要 · 参加人员" hint="选填，多方参加的回访会议：每行一人，写明单位和姓名" />
        <TextField {...state} name="minutesSummary" legend="回访记要 · 内容" hint="选填，商定的事项；填了参加人员就要填" />
        <TextField {...state} name="notes" legend="备注" hint="选填，建设单位看不到" />
      </StepForm>
      <History view={view} open={false} />
    </>,
  );
}
