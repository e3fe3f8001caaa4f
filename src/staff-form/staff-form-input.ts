import { z, ZodError } from 'zod';
import { VisitMethod } from '../../entities';
import { VisitAnswers, visitAnswersSchema } from '../visits/visit-answers';

/** The values a form posted, as the page puts them back when it shows the form again. */
export type FormValues = Record<string, string | string[]>;

/** Field name → what is wrong with it, in Chinese; shown beside the field and at the top. */
export type FieldErrors = Record<string, string>;

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** The fields of the forms with their Chinese names, in the order the forms show them. */
export const FIELD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  method: '回访方式',
  quality: '质量评价',
  effect: '服务效果评价',
  satisfaction: '满意程度评价',
  solved: '问题是否已解决',
  shortcomings: '缺点与不足',
  shortcomingsText: '缺点补充说明',
  suggestions: '建议',
  notes: '备注',
  verdict: '审核结论',
  opinion: '意见',
});

const STAFF_METHODS = ['phone', 'onsite', 'face_to_face', 'chat'] as const;

const recordSchema = z.object({
  method: z.enum(STAFF_METHODS),
  answers: visitAnswersSchema,
  notes: z.string().max(2000).nullish(),
});

const reviewSchema = z.object({
  verdict: z.enum(['ok', 'unqualified']),
  opinion: z.string().max(2000).nullish(),
});

const handleSchema = z.object({ opinion: z.string().min(1).max(2000) });

/** A staff record from the form (docs/api.md `POST /api/visits/:id/record`'s fields). */
export function parseRecordForm(form: URLSearchParams): Parsed<{ method: VisitMethod; answers: VisitAnswers; notes: string | null }> {
  const level = (name: string) => (/^[1-5]$/.test(form.get(name) ?? '') ? Number(form.get(name)) : undefined);
  const solved = form.get('solved');
  const result = recordSchema.safeParse({
    method: form.get('method') || undefined,
    answers: {
      quality: level('quality'),
      effect: level('effect'),
      satisfaction: level('satisfaction'),
      shortcomings: form.getAll('shortcomings'),
      shortcomingsText: text(form, 'shortcomingsText'),
      suggestions: text(form, 'suggestions'),
      solved: solved === 'yes' ? true : solved === 'no' ? false : null,
    },
    notes: text(form, 'notes'),
  });
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  return { ok: true, value: { method: result.data.method, answers: result.data.answers, notes: result.data.notes ?? null } };
}

/** The supervisor's verdict and opinion (审核意见); the opinion may be left empty. */
export function parseReviewForm(form: URLSearchParams): Parsed<{ verdict: 'ok' | 'unqualified'; opinion: string | null }> {
  const result = reviewSchema.safeParse({ verdict: form.get('verdict') || undefined, opinion: text(form, 'opinion') });
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  return { ok: true, value: { verdict: result.data.verdict, opinion: result.data.opinion ?? null } };
}

/** The manager's handling opinion, which is required (it is written back on the record). */
export function parseHandleForm(form: URLSearchParams): Parsed<{ opinion: string }> {
  const result = handleSchema.safeParse({ opinion: text(form, 'opinion') ?? undefined });
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  return { ok: true, value: result.data };
}

/** Every posted value, for showing the form again as it was sent. */
export function formValues(form: URLSearchParams): FormValues {
  const values: FormValues = {};
  for (const key of new Set(form.keys())) values[key] = key === 'shortcomings' ? form.getAll(key) : (form.get(key) ?? '');
  return values;
}

/** Trimmed text, or null when empty: an empty box means "nothing to say". */
function text(form: URLSearchParams, name: string): string | null {
  return form.get(name)?.trim() || null;
}

/** One message per field (the first problem), in words a staff member acts on. */
function fieldErrors(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    // `answers.quality` is the form's `quality`: the form has no nesting.
    const field = issue.path[0] === 'answers' ? String(issue.path[1] ?? 'answers') : String(issue.path[0] ?? '');
    if (errors[field]) continue;
    errors[field] =
      issue.code === 'too_big'
        ? `最多 ${String(issue.maximum)} 字`
        : field === 'shortcomings' && issue.code === 'custom'
          ? '「无」不能与其他缺点同时选择'
          : field === 'opinion' || field === 'notes' || field === 'suggestions' || field === 'shortcomingsText'
            ? '请填写'
            : '请选择';
  }
  return errors;
}
