// zod 4's parser: about a third of zod 3's CPU per event on the webhook's path (measured on the
// bench event); the other schemas stay on zod 3's API until they are touched.
import { z } from 'zod/v4';
import { Clock } from '../clock';
import { fieldProblems, invalidFields } from '../http/validation';
import { acceptedInstant, InstantReach } from '../rules/accepted-instant';
import { WORK_ORDER_KINDS, WorkOrderKind } from '../rules/kinds';

/** A field's message: "is required" when it is missing, `otherwise` when it has the wrong type. */
const requiredOr = (otherwise: string) => (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : otherwise);

/**
 * An instant of the event, as text here: it is read after the schema (`readWorkOrderEvent`),
 * because a zod transform per instant (a pipe) cost a third of the event's validation.
 */
const instantText = z.string({ error: requiredOr('must be an ISO 8601 instant') });

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

const workOrder =
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
        completedAt: instantText.nullish(),
        // A contract runs ahead: its start and end are planned, not happened.
        contract: z.object({ startAt: instantText, endAt: instantText }, mustBeAnObject).nullish(),
      },
      mustBeAnObject,
    )
    .superRefine((order, ctx) => {
      if (order.kind === 'complaint') {
        if (!order.severity) ctx.addIssue({ code: 'custom', path: ['severity'], message: 'is required for complaints (major or general)' });
        if (!order.department) ctx.addIssue({ code: 'custom', path: ['department'], message: 'is required for complaints' });
      }
    });

export const EVENT_TYPES = [
  'work_order.created',
  'work_order.updated',
  'work_order.completed',
  'work_order.reopened',
  'work_order.cancelled',
] as const;

/** The body of `POST /webhooks/work-orders` (docs/api.md), its instants still as text. */
const eventText =
  z
    .object(
      {
        eventId: id(191),
        type: z.enum(EVENT_TYPES, { error: requiredOr(`must be one of ${EVENT_TYPES.join(', ')}`) }),
        occurredAt: instantText,
        workOrder,
      },
      { error: () => 'must be a JSON object' },
    )
    .superRefine((event, ctx) => {
      if (event.type === 'work_order.completed' && !event.workOrder.completedAt) {
        ctx.addIssue({ code: 'custom', path: ['workOrder', 'completedAt'], message: 'is required when type is work_order.completed' });
      }
    });



type EventText = z.infer<typeof eventText>;

/** An event as Huifang reads it: its instants are Dates. */
export type WorkOrderEvent = Omit<EventText, 'occurredAt' | 'workOrder'> & {
  occurredAt: Date;
  workOrder: Omit<EventText['workOrder'], 'completedAt' | 'contract'> & {
    completedAt?: Date | null;
    contract?: { startAt: Date; endAt: Date } | null;
  };
};

/**
 * Reads the body of `POST /webhooks/work-orders`, its instants bounded by `clock`: `occurredAt`
 * and `completedAt` at most a day after now, a contract's dates at most ten years. A refusal is
 * one 400 (`invalid_event`) naming every bad field: the schema's, then the instants' (an instant
 * is read only where the schema found text), then a contract ending before it starts.
 */
export function readWorkOrderEvent(clock: Clock): (input: unknown) => WorkOrderEvent {
  return (input) => {
    const parsed = eventText.safeParse(input);
    const problems = parsed.success ? [] : fieldProblems(parsed.error);
    const text = (parsed.success ? parsed.data : input) as Partial<EventText> | null;
    const now = clock.now();
    const instant = (field: string, value: unknown, reach: InstantReach): Date | undefined => {
      if (typeof value !== 'string' || problems.some((p) => p.field === field)) return undefined;
      const read = acceptedInstant(value, now, reach);
      if (read.ok) return read.at;
      problems.push({ field, message: read.problem });
      return undefined;
    };
    const orderText = isObject(text) && isObject(text.workOrder) ? text.workOrder : undefined;
    const contract = orderText && isObject(orderText.contract) ? orderText.contract : undefined;
    const occurredAt = instant('occurredAt', isObject(text) ? text.occurredAt : undefined, 'happened');
    const completedAt = instant('workOrder.completedAt', orderText?.completedAt, 'happened');
    const startAt = instant('workOrder.contract.startAt', contract?.startAt, 'planned');
    const endAt = instant('workOrder.contract.endAt', contract?.endAt, 'planned');
    if (startAt && endAt && endAt <= startAt) problems.push({ field: 'workOrder.contract.endAt', message: 'must be after contract.startAt' });
    if (!parsed.success || problems.length > 0) throw invalidFields(problems, 'invalid_event');
    const { completedAt: completedText, contract: contractText, ...order } = parsed.data.workOrder;
    return {
      ...parsed.data,
      occurredAt: occurredAt!,
      workOrder: {
        ...order,
        ...(completedText === undefined ? {} : { completedAt: completedText === null ? null : completedAt! }),
        ...(contractText === undefined ? {} : { contract: contractText === null ? null : { startAt: startAt!, endAt: endAt! } }),
      },
    };
  };
}

function isObject(value: unknown): value is Record<string, any> {
  return typeof value === 'object' && value !== null;
}
