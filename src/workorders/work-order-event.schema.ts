// zod 4's parser: about a third of zod 3's CPU per event on the webhook's path (measured on the
// bench event); the other schemas stay on zod 3's API until they are touched.
import { z } from 'zod/v4';
import { Clock } from '../clock';
import { acceptedInstant, InstantReach } from '../rules/accepted-instant';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';

/** A field's message: "is required" when it is missing, `otherwise` when it has the wrong type. */
const requiredOr = (otherwise: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : otherwise);

/**
 * An instant of the event: a real calendar instant from 2000-01-01 to `reach` after the clock's
 * now (src/rules/accepted-instant.ts), read when the event is parsed.
 */
const isoInstant = (clock: Clock, reach: InstantReach) =>
  z.string({ error: requiredOr('must be an ISO 8601 instant') }).transform((text, ctx) => {
    const read = acceptedInstant(text, clock.now(), reach);
    if (read.ok) return read.at;
    // Fatal: the event's own checks (a completion needs completedAt) must not run on a refused instant.
    ctx.addIssue({ code: 'custom', message: read.problem, input: text, continue: false });
    return z.NEVER;
  });

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
    wechatOpenId: optionalText(64),
  },
  mustBeAnObject,
);

const workOrderOf = (clock: Clock) =>
  z
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
        completedAt: isoInstant(clock, 'happened').nullish(),
        // A contract runs ahead: its start and end are planned, not happened.
        contract: z.object({ startAt: isoInstant(clock, 'planned'), endAt: isoInstant(clock, 'planned') }, mustBeAnObject).nullish(),
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

/**
 * The body of `POST /webhooks/work-orders` (docs/api.md), its instants bounded by `clock`:
 * `occurredAt` and `completedAt` at most a day after now, a contract's dates at most ten years.
 */
export const workOrderEventSchema = (clock: Clock) =>
  z
    .object(
      {
        eventId: id(191),
        type: z.enum(EVENT_TYPES, { error: requiredOr(`must be one of ${EVENT_TYPES.join(', ')}`) }),
        occurredAt: isoInstant(clock, 'happened'),
        workOrder: workOrderOf(clock),
      },
      { error: () => 'must be a JSON object' },
    )
    .superRefine((event, ctx) => {
      if (event.type === 'work_order.completed' && !event.workOrder.completedAt) {
        ctx.addIssue({ code: 'custom', path: ['workOrder', 'completedAt'], message: 'is required when type is work_order.completed' });
      }
    });

export type WorkOrderEvent = z.infer<ReturnType<typeof workOrderEventSchema>>;

