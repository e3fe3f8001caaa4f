import { z, ZodError } from 'zod';
import { VisitMethod } from '../../entities';
import { WarrantyAnswers, warrantyAnswersSchema } from '../visits/visit-answers';
import { FieldErrors, Parsed } from './staff-form-input';

/** The warranty record form's fields with their Chinese names, in the order the form shows them. */
export const WARRANTY_FIELD_LABELS: Readonly<Record<string, string>> = Object.freeze({
  method: '回访方式',
  roofsAndWalls: '屋面、墙面情况',
  problemsFound: '发现的问题',
  ownerOpinion: '建设单位意见',
  satisfaction: '满意程度评价',
  minutesAttendees: '回访记要：参加人员',
  minutesSummary: '回访记要：内容',
  notes: '备注',
});

const schema = z.object({
  method: z.enum(['phone', 'onsite', 'face_to_face', 'chat']),
  answers: warrantyAnswersSchema,
  notes: z.string().max(2000).nullish(),
});

/**
 * A warranty visit's record from the staff form (docs/rules.md §7), the same answers as
 * `POST /api/visits/:id/record` takes for a warranty visit: the state of roofs and walls
 * (required), problems found, the owner's opinion, satisfaction 1–5, and optional meeting
 * minutes (回访记要) — attendees one per line (or separated by 、，,;) and the summary, both or
 * neither.
 */
export function parseWarrantyRecordForm(form: URLSearchParams): Parsed<{ method: VisitMethod; answers: WarrantyAnswers; notes: string | null }> {
  const satisfaction = form.get('satisfaction') ?? '';
  const attendees = (form.get('minutesAttendees') ?? '')
    .split(/[\n\r、，,;；]+/)
    .map((a) => a.trim())
    .filter(Boolean);
  const summary = form.get('minutesSummary')?.trim() ?? '';
  const result = schema.safeParse({
    method: form.get('method') || undefined,
    answers: {
      roofsAndWalls: form.get('roofsAndWalls') ?? '',
      problemsFound: form.get('problemsFound') ?? '',
      ownerOpinion: form.get('ownerOpinion') ?? '',
      satisfaction: /^[1-5]$/.test(satisfaction) ? Number(satisfaction) : undefined,
      minutes: attendees.length > 0 || summary ? { attendees, summary } : null,
    },
    notes: form.get('notes')?.trim() || null,
  });
  if (!result.success) return { ok: false, errors: fieldErrors(result.error) };
  return { ok: true, value: { method: result.data.method, answers: result.data.answers, notes: result.data.notes ?? null } };
}

/** One message per field, named as the form names it (`answers.minutes.summary` is `minutesSummary`). */
function fieldErrors(error: ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const [top, second, third] = issue.path.map(String);
    const field = top !== 'answers' ? top ?? '' : second === 'minutes' ? (third === 'summary' ? 'minutesSummary' : 'minutesAttendees') : second ?? 'answers';
    if (errors[field]) continue;
    errors[field] = issue.code === 'too_big' ? `最多 ${String(issue.maximum)} ${issue.type === 'array' ? '人' : '字'}` : field === 'method' || field === 'satisfaction' ? '请选择' : '请填写';
  }
  return errors;
}
