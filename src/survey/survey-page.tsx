import type { ComponentChildren, VNode } from 'preact';
import { Document, renderDocument } from '../http/html/document';
import { ChoiceItem, Choices, chosenOf, Field, Notice } from '../http/html/form-parts';
import { ANSWER_LEVELS, LEVEL_LABELS, SATISFACTION_LABELS } from '../rules/answer-levels';
import { SHORTCOMING_CODES, SHORTCOMING_LABELS } from '../rules/shortcomings';
import { pagePolicy } from '../http/page-security';
import { SURVEY_CSS, SURVEY_SCRIPT_PATH } from './survey-assets';

/**
 * The resident's pages (docs/api.md `GET /s/:token`), written for someone of sixty on a phone:
 * which office asks and about what (when it was done, what it was), large tap targets, required
 * questions marked, and mistakes said in Chinese beside the question — the browser's own bubbles
 * are off (`noValidate`), the server checks everything. One small served script makes 无
 * exclusive as it is ticked; without it the server says so. No inline script.
 */
export interface SurveyPageVisit {
  officeName: string;
  /** "3 日 09:40 完成的维修服务：厨房水龙头". */
  whatHappened: string;
  /** A record made by staff, shown for confirmation instead of the questions. */
  record?: { methodLabel: string; answers: AnswerRow[] };
}

export interface AnswerRow {
  label: string;
  value: string;
}

/** What the resident chose so far (form values, or answers already given in chat). */
export type SurveyValues = Record<string, string | string[]>;

/** Per question name, what is wrong with its answer (shown beside it). */
export type SurveyErrors = Partial<Record<'quality' | 'effect' | 'satisfaction' | 'shortcomings' | 'suggestions', string>>;

/** The Content-Security-Policy of every page here: its own CSS, its one served script, nothing inline. */
export const SURVEY_PAGE_POLICY = pagePolicy({ styles: [SURVEY_CSS], scriptFiles: true });

function Page({ title, children }: { title: string; children: ComponentChildren }): VNode {
  return (
    <Document title={title} css={SURVEY_CSS} noindex>
      <main>{children}</main>
    </Document>
  );
}

function Heading({ visit, title }: { visit: SurveyPageVisit; title: string }): VNode {
  return (
    <header>
      <p class="office">{visit.officeName}</p>
      <h1>{title}</h1>
      <p class="what">{visit.whatHappened}</p>
    </header>
  );
}

/** A question with its legend, required mark and error beside it. */
function Question(props: { name: string; title: string; required: boolean; note?: string; error?: string; children: ComponentChildren }): VNode {
  const legend = (
    <>
      {props.title}
      {props.required ? <span class="req">必填</span> : <span class="opt">选填</span>}
      {props.note ? <span class="note">{props.note}</span> : null}
    </>
  );
  return (
    <Field name={props.name} marker="question" legend={legend} error={props.error} announce>
      {props.children}
    </Field>
  );
}

const levelItems = (labels: Readonly<Record<number, string>>): ChoiceItem[] => ANSWER_LEVELS.map((level) => ({ value: String(level), label: labels[level] }));
const SHORTCOMING_ITEMS: ChoiceItem[] = SHORTCOMING_CODES.map((code) => ({ value: code, label: SHORTCOMING_LABELS[code] }));
const SOLVED_ITEMS: ChoiceItem[] = [
  { value: 'yes', label: '已解决' },
  { value: 'no', label: '未解决' },
];
const RESOLVED_ITEMS: ChoiceItem[] = [
  { value: 'yes', label: '已解决' },
  { value: 'no', label: '仍未解决' },
];

/** The five items of docs/rules.md §3 and "solved?", with 确认 as the submit: the resident's confirmation. */
export function surveyFormPage(visit: SurveyPageVisit, action: string, values: SurveyValues = {}, errors: SurveyErrors = {}): string {
  const one = (name: string) => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const chosen = (name: string) => chosenOf(values, name);
  const problems = Object.keys(errors).length;
  return renderDocument(
    <Page title="服务回访">
      <Heading visit={visit} title="请评价本次服务" />
      {problems > 0 ? (
        <p class="summary" role="alert">
          还有 {problems} 处需要填写或修改，请看下面标红的地方。
        </p>
      ) : (
        <p class="intro">请点选您的评价，标「必填」的每项都要选，最后点「确认」。</p>
      )}
      <form method="post" action={action} noValidate>
        <Question name="quality" title="质量评价" required error={errors.quality}>
          <Choices name="quality" items={levelItems(LEVEL_LABELS)} chosen={chosen('quality')} />
        </Question>
        <Question name="effect" title="服务效果评价" required error={errors.effect}>
          <Choices name="effect" items={levelItems(LEVEL_LABELS)} chosen={chosen('effect')} />
        </Question>
        <Question name="satisfaction" title="满意程度评价" required error={errors.satisfaction}>
          <Choices name="satisfaction" items={levelItems(SATISFACTION_LABELS)} chosen={chosen('satisfaction')} />
        </Question>
        <Question name="shortcomings" title="缺点与不足" required note="可多选；没有不足请选「无」" error={errors.shortcomings}>
          <Choices type="checkbox" name="shortcomings" items={SHORTCOMING_ITEMS} chosen={chosen('shortcomings')} exclusive="none" />
        </Question>
        <Question name="solved" title="问题是否已解决" required={false}>
          <Choices name="solved" items={SOLVED_ITEMS} chosen={chosen('solved')} />
        </Question>
        <Question name="suggestions" title="建议" required={false} error={errors.suggestions}>
          <textarea name="suggestions" maxLength={2000} aria-label="建议">
            {one('suggestions') ?? ''}
          </textarea>
        </Question>
        <button type="submit">确认</button>
      </form>
      <script src={SURVEY_SCRIPT_PATH} defer />
    </Page>,
  );
}

/** A staff record shown to the resident, confirmed with one tap. */
export function confirmRecordPage(visit: SurveyPageVisit, action: string): string {
  return renderDocument(
    <Page title="确认回访记录">
      <Heading visit={visit} title="请确认回访记录" />
      <p class="intro">{visit.record?.methodLabel ?? ''}的记录如下，无误请点「确认」。</p>
      <Answers rows={visit.record?.answers ?? []} />
      <form method="post" action={action}>
        <input type="hidden" name="confirm" value="yes" />
        <button type="submit">确认</button>
      </form>
    </Page>,
  );
}

/** After the manager's handling: is the problem solved now? (one question, two large buttons) */
export function resolutionPage(visit: SurveyPageVisit, handling: string, action: string, error?: string): string {
  return renderDocument(
    <Page title="问题是否已解决">
      <Heading visit={visit} title="您反映的问题解决了吗？" />
      <Answers rows={[{ label: '处理意见', value: handling }]} />
      <form method="post" action={action} noValidate>
        <Question name="resolved" title="问题现在是否已经解决" required error={error}>
          <Choices name="resolved" items={RESOLVED_ITEMS} chosen={new Set()} />
        </Question>
        <button type="submit">提交</button>
      </form>
    </Page>
  );
}

function Answers({ rows }: { rows: AnswerRow[] }): VNode {
  return (
    <dl>
      {rows.map((row) => (
        <>
          <dt>{row.label}</dt>
          <dd>{row.value}</dd>
        </>
      ))}
    </dl>
  );
}

export type NoticeKind = 'thanks' | 'answered' | 'expired' | 'invalid' | 'cancelled' | 'too_large';

const NOTICES: Record<NoticeKind, { icon: string; title: string; text: string }> = {
  thanks: { icon: '✓', title: '感谢您的评价', text: '您的评价与确认已记录。我们会继续改进服务。' },
  answered: { icon: '✓', title: '您已完成评价', text: '这份回访已经记录，无需再次填写。感谢您的支持。' },
  expired: { icon: '⌛', title: '链接已过期', text: '回访链接的有效期为 7 天。如需评价，请联系物业客户中心。' },
  invalid: { icon: '✕', title: '链接无效', text: '无法识别这个链接，请确认链接完整，或联系物业客户中心。' },
  cancelled: { icon: '–', title: '回访已取消', text: '这项服务的回访已取消，无需评价。' },
  too_large: { icon: '✕', title: '提交的内容过长', text: '请缩短填写的建议后返回重新提交。' },
};

/**
 * A page that says where things stand. With `answers`, the answers the resident gave (or the
 * record they confirmed) follow, under `answersTitle` — so a link opened again shows them.
 */
export function noticePage(kind: NoticeKind, shown?: { visit: SurveyPageVisit; answersTitle: string; answers: AnswerRow[] }): string {
  const n = NOTICES[kind];
  return renderDocument(
    <Page title={n.title}>
      {shown ? <p class="office">{shown.visit.officeName}</p> : null}
      <Notice kind={kind} icon={n.icon} title={n.title} text={n.text} />
      {shown ? (
        <section class="given" aria-label={shown.answersTitle}>
          <h2>{shown.answersTitle}</h2>
          <p class="what">{shown.visit.whatHappened}</p>
          <Answers rows={shown.answers} />
        </section>
      ) : null}
    </Page>,
  );
}
