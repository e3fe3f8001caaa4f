/**
 * The shortcomings (缺点与不足) a resident can tick (docs/rules.md §3). Codes are what is stored
 * and never change; labels are the paper form's words, for display and exports.
 */
export const SHORTCOMING_CODES = Object.freeze([
  'slow_response',
  'attitude',
  'quality',
  'communication',
  'price',
  'other',
  'none',
] as const);

/** A stored shortcoming code. */
export type ShortcomingCode = (typeof SHORTCOMING_CODES)[number];

/** Code → label, e.g. `slow_response` → 响应慢. */
export const SHORTCOMING_LABELS: Readonly<Record<ShortcomingCode, string>> = Object.freeze({
  slow_response: '响应慢',
  attitude: '态度',
  quality: '质量',
  communication: '沟通',
  price: '价格',
  other: '其他',
  none: '无',
});

/** The labels in the form's order (the same order as {@link SHORTCOMING_CODES}). */
export const SHORTCOMINGS: readonly string[] = Object.freeze(SHORTCOMING_CODES.map((code) => SHORTCOMING_LABELS[code]));
