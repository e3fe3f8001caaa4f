// zod 4's parser: about a third of zod 3's CPU per event on the webhook's path (measured on the
// bench event); the other schemas stay on zod 3's API until they are touched.
import { z } from 'zod/v4';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';

/** A field's message: "is required" when it is missing, `otherwise` when it has the wrong type. */
const requiredOr = (otherwise: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : otherwise);

/** The body of `POST /webhooks/work-orders` (docs/api.md). */
const isoInstant = z
  .string({ error: requiredOr('must be an ISO 8601 instant') })
  .refine((v) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/.test(v) && !Number.isNaN(Date.parse(v)), {
    message: 'must be an ISO 8601 instant with a zone, e.g. 2026-11-26T07:00:00Z',
  })
  .transform((v) => new Date(v));

const id = (max = 64) =>
  z
    .string({ error: requiredOr('must be a string') })
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`);

const optionalText = (max: number) => z.string({ error: () => 'must be a string' }).max(max, `must be at most ${max} characters`).nullish();

const mustBeAnObject = { error: requiredOr('must be an object') };

const resident = z.object(
  {
    id: id(),
    name: optionalText(100),
    phone: optionalText(32),
    wecomUserId: optionalText(64),
    wecomExternalUserId: optionalText(64),
    wecomContactOwner: optionalText(64),
    dingtalkUserId: optionalText(64),
  },
  mustBeAnObject,
);

const workOrder = z
  .object(
    {
      id: id(),
      officeId: id(),
      kind: z.enum(WORK_ORDER_KINDS as [WorkOrderKind, ...WorkOrderKind[]], { error: requiredOr(`must be one of ${WORK_ORDER_KINDS.join(', ')}`) }),
      severity: z.enum(['major', 'general'], { error: () => 'must be major or general' }).nullish(),
      department: optionalText(64),
      matterKey: optionalText(128),
      title: optionalText(200),
      unitId: optionalText(64),
      resident: resident.nullish(),
      completedAt: isoInstant.nullish(),
      contract: z.object({ startAt: isoInstant, endAt: isoInstant }, mustBeAnObject).nullish(),
    },
    mustBeAnObject,
  )
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
  .object(
    {
      eventId: id(191),
      type: z.enum(EVENT_TYPES, { error: requiredOr(`must be one of ${EVENT_TYPES.join(', ')}`) }),
      occurredAt: isoInstant,
      workOrder,
    },
    { error: () => 'must be a JSON object' },
  )
  .superRefine((event, ctx) => {
    if (event.type === 'work_order.completed' && !event.workOrder.completedAt) {
      ctx.addIssue({ code: 'custom', path: ['workOrder', 'completedAt'], message: 'is required when type is work_order.completed' });
    }
  });

export type WorkOrderEvent = z.infer<typeof workOrderEventSchema>;

