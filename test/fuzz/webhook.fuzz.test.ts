import fc from 'fast-check';
import { describe, it } from 'vitest';
import { signWebhook } from '../../src/workorders/webhook-signature';
import { HOUSEHOLD_REPAIR, WEBHOOK_SECRET, workOrderEvent } from '../support/app';
import {
  anyBody,
  contentType,
  FUZZ_TIMEOUT_MS,
  fuzzParameters,
  headerValue,
  isoLikeInstant,
  mutated,
  probe,
  useFuzzApp,
} from './fuzz-support';

/** Events near the contract's shape: each kind, with a contract, a resident of each channel. */
const BASES = [
  workOrderEvent('completed'),
  workOrderEvent('created', { kind: 'special_service', severity: null, department: null, contract: { startAt: '2026-11-01T00:00:00Z', endAt: '2027-03-01T00:00:00Z' } }),
  workOrderEvent('completed', HOUSEHOLD_REPAIR),
  workOrderEvent('cancelled', { id: 'WO-2026-000123' }),
  workOrderEvent('completed', { resident: { id: 'R-9', name: null, phone: null, wecomUserId: null, wecomExternalUserId: 'wmEXT', wecomContactOwner: 'sp1', dingtalkUserId: null } }),
];

/** The completion with its instants replaced: where year 0, year 9999 and 31 February did harm. */
const instantsOf = (base: (typeof BASES)[number]) =>
  fc.tuple(isoLikeInstant, fc.option(isoLikeInstant, { nil: null, freq: 1 })).map(([occurredAt, completedAt]) => ({ ...base, occurredAt, workOrder: { ...base.workOrder, completedAt: completedAt ?? occurredAt } }));

/**
 * The event with a fresh eventId (a repeat only answers "duplicate") and, two cases in three, a
 * fresh work order (an older event about a stored one only answers "stale"), unless the
 * mutation changed them.
 */
function withFreshIds(event: unknown, seq: number): unknown {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) return event;
  const { eventId, workOrder } = event as { eventId?: unknown; workOrder?: { id?: unknown } };
  const fresh: Record<string, unknown> = { ...event };
  if (typeof eventId === 'string' && eventId.startsWith('evt-')) fresh.eventId = `fz-${seq}`;
  if (seq % 3 !== 0 && typeof workOrder === 'object' && workOrder !== null && workOrder.id === 'WO-2026-000123') fresh.workOrder = { ...workOrder, id: `WO-FZ-${seq}` };
  return fresh;
}

describe('fuzz: POST /webhooks/work-orders', () => {
  const fuzz = useFuzzApp();
  const now = () => Math.floor(fuzz.app.clock.now().getTime() / 1000);
  let seq = 0;

  it(
    'signed near-valid events: never a 5xx, a trace or a secret; a refused one stores nothing',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.oneof(...BASES.map(mutated), { weight: BASES.length, arbitrary: instantsOf(BASES[0]) }), fc.oneof({ weight: 4, arbitrary: fc.constant('application/json') }, { weight: 1, arbitrary: contentType }), async (event, type) => {
          const body = JSON.stringify(withFreshIds(event, ++seq));
          const timestamp = String(now());
          const headers = { 'content-type': type, 'x-timestamp': timestamp, 'x-signature': signWebhook(WEBHOOK_SECRET, timestamp, body) };
          await probe(fuzz, '/webhooks/work-orders', { method: 'POST', headers, body }, `signed ${body.slice(0, 300)}`);
        }),
        fuzzParameters(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'unsigned or badly signed bodies and headers: refused, nothing stored, nothing leaked',
    async () => {
      const headers = fc.record(
        {
          'content-type': contentType,
          'x-timestamp': fc.oneof(headerValue, fc.integer({ min: -1e12, max: 1e13 }).map(String)),
          'x-signature': fc.oneof(headerValue, fc.string({ minLength: 64, maxLength: 64, unit: fc.constantFrom(...'0123456789abcdef') }), fc.constant('sha256=')),
          'x-forwarded-for': headerValue,
        },
        { requiredKeys: [] },
      );
      await fc.assert(
        fc.asyncProperty(anyBody, headers, fc.constantFrom('POST', 'PUT', 'GET', 'DELETE', 'PATCH'), async (body, rawHeaders, method) => {
          const sent = rawHeaders as Record<string, string>;
          const context = `unsigned ${method} ${JSON.stringify(sent)} ${body.slice(0, 200)}`;
          const answer = await probe(fuzz, '/webhooks/work-orders', { method, headers: sent, body }, context);
          if (answer.status < 400) throw new Error(`${context}: accepted without a valid signature (${answer.status})`);
        }),
        fuzzParameters(60),
      );
    },
    FUZZ_TIMEOUT_MS,
  );
});
