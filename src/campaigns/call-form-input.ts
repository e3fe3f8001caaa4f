import { Campaign } from '../../entities';
import { DomainError } from '../errors';
import { validate } from '../http/validation';
import { campaignRecordBody } from '../visits/campaign-call-answers';
import { VisitCommand } from '../visits/visit-decision';
import { callCommand } from './campaign-calls';

/** What the call form posted, by field name (kept to show the form again). */
export type CallFormValues = Record<string, string>;
/** Per field, what is wrong (shown beside it). */
export type CallFormErrors = Record<string, string>;

/** Field names of the form as the record body names them (`answers.<key>`, `opinions.sale`…). */
const TEXT_FIELDS = ['needs', 'complaints', 'followUp', 'notes'] as const;
const OPINIONS = ['presale', 'sale', 'aftersale'] as const;

/**
 * Reads the campaign call form (src/campaigns/call-form-page.tsx) into the same record body as
 * `POST /api/visits/:id/record` takes, checked the same way (callCommand): the lifecycle
 * command, or what is wrong per field — in Chinese, named as the page names its fields.
 */
export function readCallForm(campaign: Campaign, form: URLSearchParams): { command: VisitCommand } | { errors: CallFormErrors } {
  const text = (name: string) => (form.get(name) ?? '').trim() || null;
  const answers: Record<string, unknown> = {};
  for (const q of campaign.questions) {
    const value = text(`answers.${q.key}`);
    if (value !== null) answers[q.key] = q.type === 'rating' && /^[1-5]$/.test(value) ? Number(value) : value;
  }
  const reached = form.get('reached');
  const valid = form.get('inquiryValid');
  const body = {
    staffId: '-',
    method: form.get('method') ?? undefined,
    reached: reached === 'yes' ? true : reached === 'no' ? false : undefined,
    answers,
    ...Object.fromEntries(TEXT_FIELDS.map((f) => [f, text(f)])),
    opinions: Object.fromEntries(OPINIONS.map((o) => [o, text(`opinions.${o}`)])),
    inquiryValid: valid === 'yes' ? true : valid === 'no' ? false : null,
  };
  try {
    const { staffId: _staffId, ...checked } = validate(campaignRecordBody, body);
    return { command: callCommand(campaign, checked, 'form') };
  } catch (err) {
    if (!(err instanceof DomainError) || err.status !== 400) throw err;
    const fields = (err.details as { fields?: { field: string; message: string }[] } | undefined)?.fields ?? [];
    return { errors: Object.fromEntries(fields.map((f) => [f.field, chinese(f.field, f.message)])) };
  }
}

/** The problem in the page's words. */
function chinese(field: string, message: string): string {
  if (field === 'method') return '请选择回访方式';
  if (field === 'reached') return '请选择是否联系上客户';
  if (message === 'is required') return '请回答这个问题';
  if (message.startsWith('must be 1–5')) return '请选择 1–5 分';
  if (message.startsWith('must be one of')) return '请在选项中选择';
  if (message.startsWith('is not a question')) return '不是本次回访的问题';
  return '内容太长或格式不对';
}
