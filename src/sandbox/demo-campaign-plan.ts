import { DataSource } from 'typeorm';
import { Campaign, CampaignMethod, CampaignPurpose, CampaignQuestion, Visit, VisitStatus } from '../../entities';
import { inTransaction } from '../db/transaction';
import { insertPlannedVisits } from '../db/visit-store';
import { atClockTime, localDateTime, parseClockTime, toInstant } from '../rules/local-time';
import { quarterOf } from '../rules/quarter';

/** A campaign to plan: its fields as stored, its customers and the office's day. */
export interface CampaignPlanInput {
  id: string;
  officeId: string;
  name: string;
  purposes: CampaignPurpose[];
  questions: CampaignQuestion[];
  /** First and last day, local `YYYY-MM-DD`. */
  startsOn: string;
  endsOn: string;
  customerIds: number[];
  staffIds: string[];
  methods: CampaignMethod[];
  zone: string;
  /** The calling day on the office's clock ('HH:mm') and its working weekdays (ISO 1–7). */
  day: { start: string; end: string; weekdays: readonly number[] };
  now: Date;
}

/**
 * A stand-in for the campaign planning of `POST /api/campaigns` (docs/rules.md §8), used by the
 * sandbox's demo campaign (and the tests of the closing and the report) until that planning is
 * merged: stores the campaign and one visit of kind `campaign` per customer, the customers spread
 * evenly over the working days and round-robin over the callers; a call's window opens on its
 * day and closes at the end of the campaign's last working day. Written through the visit store, so visitors and open-visit counts are as for
 * any planned visit. Returns the visit ids in customer order.
 */
export async function planCampaignCalls(dataSource: DataSource, input: CampaignPlanInput): Promise<number[]> {
  const days = callingDays(input);
  if (days.length === 0 || input.staffIds.length === 0) throw new Error('a campaign needs a working day and a caller');
  const start = parseClockTime(input.day.start);
  // A call may still be made late, up to the campaign's last working day: overdue only after it.
  const closesAt = toInstant(atClockTime(days[days.length - 1], parseClockTime(input.day.end)));
  const drafts = input.customerIds.map((customerId, i) => {
    const day = days[Math.floor((i * days.length) / input.customerIds.length)];
    const opensAt = toInstant(atClockTime(day, start));
    const staffId = input.staffIds[i % input.staffIds.length];
    const visit = Object.assign(new Visit(), {
      officeId: input.officeId,
      workOrderId: null,
      projectId: null,
      campaignId: input.id,
      customerId: String(customerId),
      details: null,
      generation: 1,
      kind: 'campaign',
      purpose: 'main',
      status: input.now >= opensAt ? VisitStatus.Due : VisitStatus.Planned,
      quarter: quarterOf(closesAt, input.zone).label,
      opensAt,
      closesAt,
      residentId: null,
      unitId: null,
      residentRoute: 'none' as const,
      residentCompletes: false,
      teamIncomplete: false,
      escalationRound: 0,
      late: false,
      createdAt: input.now,
      updatedAt: input.now,
    });
    const details = { campaignId: input.id, customerId, opensAt: opensAt.toISOString(), assignees: [staffId] };
    return { visit, assignees: [{ staffId, role: 'specialist' as const }], history: { action: 'planned', actor: 'system', actorKind: 'system' as const, details } };
  });
  return inTransaction(dataSource, async (manager) => {
    const { customerIds: _ids, zone: _zone, day: _day, now, ...fields } = input;
    await manager.insert(Campaign, { ...fields, selection: { ids: input.customerIds }, createdBy: 'admin', createdAt: now });
    return insertPlannedVisits(manager, drafts, now);
  });
}

/** The campaign's working days, local midnights. */
function callingDays(input: CampaignPlanInput) {
  const [y1, m1, d1] = input.startsOn.split('-').map(Number);
  const last = input.endsOn;
  const days = [];
  for (let day = localDateTime({ year: y1, month: m1, day: d1 }, input.zone); (day.toISODate() ?? '') <= last && days.length < 366; day = day.plus({ days: 1 })) {
    if (input.day.weekdays.includes(day.weekday)) days.push(day);
  }
  return days;
}
