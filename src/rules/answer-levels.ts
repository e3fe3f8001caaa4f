/** A five-level answer (SOP 4.1.4): 5 is best, 1 worst. */
export type AnswerLevel = 5 | 4 | 3 | 2 | 1;

/** The levels in the order the visit form lists them, best first. */
export const ANSWER_LEVELS: readonly AnswerLevel[] = Object.freeze([5, 4, 3, 2, 1] as const);

/**
 * Labels of the quality (质量评价) and effect (服务效果评价) levels, as on the paper form
 * 业户走访回访记录表 (docs/rules.md §3). Stored values are the numbers; labels are for display
 * and exports only.
 */
export const LEVEL_LABELS: Readonly<Record<AnswerLevel, string>> = Object.freeze({
  5: '很好',
  4: '好',
  3: '一般',
  2: '差',
  1: '很差',
});

/** Labels of the satisfaction (满意程度评价) levels (docs/rules.md §3). */
export const SATISFACTION_LABELS: Readonly<Record<AnswerLevel, string>> = Object.freeze({
  5: '非常满意',
  4: '满意',
  3: '一般',
  2: '不满意',
  1: '非常不满意',
});
