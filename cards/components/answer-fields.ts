import { LEVEL_LABELS, SATISFACTION_LABELS, type AnswerLevel } from '../../src/rules/answer-levels';
import { SHORTCOMING_LABELS, type ShortcomingCode } from '../../src/rules/shortcomings';
import type { CardField } from './card-model';
import { inlineText } from './inline-text';
import { truncateChars } from './utf8';

/** The five items of the visit form (docs/rules.md §3) as a card shows them; absent = not answered. */
export interface RecordedAnswers {
  quality?: AnswerLevel | null;
  effect?: AnswerLevel | null;
  satisfaction?: AnswerLevel | null;
  shortcomings?: readonly ShortcomingCode[] | null;
  /** Free text beside the shortcomings ("其他" explained). */
  shortcomingsText?: string | null;
  suggestions?: string | null;
  /** The resident's word on "is the problem solved?"; absent when not asked. */
  solved?: boolean | null;
}

const NOT_ANSWERED = '未填';
/** Free text on a card row stays short: the full text is on the record page. */
const ROW_TEXT_CHARS = 24;

/** `5` → 很好 (quality and effect labels); 未填 when absent. */
export function levelText(level: AnswerLevel | null | undefined): string {
  return level ? LEVEL_LABELS[level] : NOT_ANSWERED;
}

/** `5` → 非常满意; 未填 when absent. */
export function satisfactionText(level: AnswerLevel | null | undefined): string {
  return level ? SATISFACTION_LABELS[level] : NOT_ANSWERED;
}

/** `['slow_response','other']` + text → `响应慢、其他（…）`; 未填 when absent. */
export function shortcomingsText(answers: RecordedAnswers): string {
  const codes = answers.shortcomings ?? [];
  if (codes.length === 0) return NOT_ANSWERED;
  const labels = codes.map((code) => SHORTCOMING_LABELS[code]).join('、');
  const extra = answers.shortcomingsText ? inlineText(answers.shortcomingsText) : '';
  return truncateChars(extra ? `${labels}（${extra}）` : labels, ROW_TEXT_CHARS);
}

/** `true` → 已解决, `false` → 未解决, absent → 未问. */
export function solvedText(solved: boolean | null | undefined): string {
  if (solved === true) return '已解决';
  if (solved === false) return '未解决';
  return '未问';
}

/**
 * The answers as card rows (at most five, WeCom shows six). `full` gives one row per item;
 * `compact` folds quality and effect into one row and leaves `solved` to the caller, for
 * cards that need rows for other things.
 */
export function answerFields(answers: RecordedAnswers, layout: 'full' | 'compact' = 'full'): CardField[] {
  const rows: CardField[] =
    layout === 'full'
      ? [
          { label: '质量评价', value: levelText(answers.quality) },
          { label: '服务效果', value: levelText(answers.effect) },
        ]
      : [{ label: '质量/效果', value: `${levelText(answers.quality)} / ${levelText(answers.effect)}` }];
  rows.push({ label: '满意程度', value: satisfactionText(answers.satisfaction) });
  rows.push({ label: '缺点不足', value: shortcomingsText(answers) });
  if (layout === 'full' && answers.solved !== undefined && answers.solved !== null) {
    rows.push({ label: '问题解决', value: solvedText(answers.solved) });
  }
  return rows;
}

/** `建议：…` for the card body, cut to `maxChars`; undefined when there is no suggestion. */
export function suggestionsLine(answers: RecordedAnswers, maxChars = 60): string | undefined {
  const text = answers.suggestions ? inlineText(answers.suggestions) : '';
  return text ? truncateChars(`建议：${text}`, maxChars) : undefined;
}
