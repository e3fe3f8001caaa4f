/**
 * A campaign call's record (客户回访记录表, docs/rules.md §8) as a campaign visit keeps it in
 * `visits.details`: whether the customer was reached, their answers, needs, opinions of pre-sale,
 * sale and after-sale service, complaints, whether the inquiry is valid, and the follow-up.
 * Read defensively: a key that is missing or of another shape reads as null (or empty), never
 * as an error, so a record written by an older or newer form still shows what it has.
 */
export interface CallRecord {
  reached: boolean | null;
  inquiryValid: boolean | null;
  answers: Array<{ question: string; answer: string }>;
  needs: string | null;
  opinions: { presale: string | null; sale: string | null; aftersale: string | null };
  complaints: string | null;
  followUp: string | null;
}

export function readCallRecord(details: unknown): CallRecord {
  const d = isObject(details) ? details : {};
  const opinions = isObject(d.opinions) ? d.opinions : {};
  return {
    reached: flag(d.reached),
    inquiryValid: flag(d.inquiryValid),
    answers: answersOf(d.answers),
    needs: text(d.needs),
    opinions: { presale: text(opinions.presale), sale: text(opinions.sale), aftersale: text(opinions.aftersale) },
    complaints: text(d.complaints),
    followUp: text(d.followUp),
  };
}

const isObject = (value: unknown): value is Record<string, unknown> => value !== null && typeof value === 'object' && !Array.isArray(value);

const flag = (value: unknown): boolean | null => (typeof value === 'boolean' ? value : null);

/** A text, a number, or a list of them (joined with "；"); null when there is nothing to show. */
function text(value: unknown): string | null {
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) {
    const parts = value.map(text).filter((p): p is string => p !== null);
    return parts.length > 0 ? parts.join('；') : null;
  }
  if (isObject(value)) return text(value.text ?? value.answer ?? value.value);
  return null;
}

/** Answers as `{question: answer}`, or `[{question, answer}]`; anything else is no answers. */
function answersOf(value: unknown): CallRecord['answers'] {
  const pairs: Array<[unknown, unknown]> = Array.isArray(value)
    ? value.filter(isObject).map((a) => [a.question ?? a.key ?? a.id, a.answer ?? a.value])
    : isObject(value)
      ? Object.entries(value)
      : [];
  return pairs.flatMap(([question, answer]) => {
    const q = text(question);
    return q === null ? [] : [{ question: q, answer: text(answer) ?? '' }];
  });
}
