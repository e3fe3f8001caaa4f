import { z } from 'zod';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';

/** The body of `POST /webhooks/work-orders` (CONTRACT.md). */
const isoInstant = z
  .string({ required_error: 'is required', invalid_type_error: 'must be an ISO 8601 instant' })
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO 8601 instant with a zone, e.g. 2026-11-26T07:00:00Z',
  })
  .transform((v) => new Date(v));

const id = (max = 64) =>
  z
    .string({ required_error: 'is required', invalid_type_error: 'must be a string' })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

const optionalText = (max: number) => z.string().max(max, `must be at most ${max} characters`).nullish();

const resident = z.object({
  id: id(),
  name: optionalText(100),
  phone: optionalText(32),
  wecomUserId: optionalText(64),
  wecomExternalUserId: optionalText(64),
  wecomContactOwner: optionalText(64),
  dingtalkUserId: optionalText(64),
});

const workOrder = z
  .object({
    id: id(),
    officeId: id(),
    kind: z.enum(WORK_ORDER_KINDS as [WorkOrderKind, ...WorkOrderKind[]], {
      errorMap: () => ({ message: `must be one of ${WORK_ORDER_KINDS.join(', ')}` }),
    }),
    severity: z.enum(['major', 'general'], { errorMap: () => ({ message: 'must be major or general' }) }).nullish(),
    department: optionalText(64),
    matterKey: optionalText(128),
    title: optionalText(200),
    unitId: optionalText(64),
    resident: resident.nullish(),
    completedAt: isoInstant.nullish(),
    contract: z.object({ startAt: isoInstant, endAt: isoInstant }).nullish(),
  })
  .superRefine((order, ctx) => {
    if (order.kind === 'complaint') {
      if (!order.severity) ctx.addIssue({ code: 'custom', path: ['severity'], message: 'is required for complaints (major or general)' });
      if (!order.department) ctx.addIssue({ code: 'custom', path: ['department'], message: 'is required for complaints' });
    }
    if (order.contract && order.contract.endAt <= order.contract.startAt) {
      ctx.addIssue({ code: 'custom', path: ['contract', 'endAt'], message: 'must be after contract.startAt' });
    }
  });

export const EVENT_TYPES = [
  'work_order.created',
  'work_order.updated',
  'work_order.completed',
  'work_order.reopened',
  'work_order.cancelled',
] as const;

export const workOrderEventSchema = z
  .object({
    eventId: id(191),
    type: z.enum(EVENT_TYPES, { errorMap: () => ({ message: `must be one of ${EVENT_TYPES.join(', ')}` }) }),
    occurredAt: isoInstant,
    workOrder,
  })
  .superRefine((event, ctx) => {
    if (event.type === 'work_order.completed' && !event.workOrder.completedAt) {
      ctx.addIssue({ code: 'custom', path: ['workOrder', 'completedAt'], message: 'is required when type is work_order.completed' });
    }
  });

export type WorkOrderEvent = z.infer<typeof workOrderEventSchema>;

