/** The recorded answers that decide whether a visit is unqualified (回访不合格). */
export interface VisitAnswers {
  quality?: number | null;
  effect?: number | null;
  satisfaction?: number | null;
  /** The resident's answer to "is the problem solved?"; null or absent when not asked. */
  solved?: boolean | null;
}

/** The **interpretation** threshold of docs/rules.md §3, configurable. */
export interface UnqualifiedPolicy {
  /** A level at or below this (1–5 scale) makes the visit unqualified; default 2. */
  threshold: number;
}

/** docs/rules.md §3: any level at 2 (差 / 不满意) or below is unqualified. */
export const DEFAULT_UNQUALIFIED_POLICY: Readonly<UnqualifiedPolicy> = Object.freeze({ threshold: 2 });

const LEVEL_ITEMS = ['quality', 'effect', 'satisfaction'] as const;

/**
 * Whether a visit's answers make it unqualified (docs/rules.md §3): any of quality, effect or
 * satisfaction at or below the threshold, or the resident says the problem is not solved.
 *
 * Invariant: unanswered items (null or absent) never make a visit unqualified; `solved`
 * counts only when explicitly `false`.
 *
 * @throws RangeError on a level that is not a whole number from 1 to 5.
 */
export function isUnqualified(
  answers: VisitAnswers,
  policy: UnqualifiedPolicy = DEFAULT_UNQUALIFIED_POLICY,
): boolean {
  let unqualified = answers.solved === false;
  for (const item of LEVEL_ITEMS) {
    const level = answers[item];
    if (level === null || level === undefined) continue;
    if (!Number.isInteger(level) || level < 1 || level > 5) {
      throw new RangeError(`Invalid ${item} level ${level}: expected a whole number from 1 to 5`);
    }
    if (level <= policy.threshold) unqualified = true;
  }
  return unqualified;
}
