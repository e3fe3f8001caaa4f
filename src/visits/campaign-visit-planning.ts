import { Visit, VisitStatus } from '../../entities';
import { CallDay, spreadCalls } from '../rules/campaign-days';
import { quarterOf } from '../rules/quarter';
import { Assignee, HistoryNote } from './visit-decision';

export interface CampaignPlanInput {
  campaign: { id: string; officeId: string };
  /** The selected customers, in id order. */
  customerIds: readonly number[];
  /** The callers, as the campaign lists them, each in the role they call in. */
  callers: readonly Assignee[];
  /** The campaign's call days (src/rules/campaign-days.ts). */
  days: readonly CallDay[];
  zone: string;
  now: Date;
}

export interface CampaignVisitDraft {
  visit: Visit;
  assignee: Assignee;
  history: HistoryNote;
}

/**
 * Plans a campaign's calls (docs/rules.md §8): one visit of kind `campaign` per customer, the
 * callers in turn and the days in even blocks (spreadCalls), each visit's window the callable
 * hours of its day — so neither its opening (the morning list) nor its end falls in quiet
 * hours. The customer is no resident: nobody is asked by the product, the caller makes the call
 * (`residentCompletes` false, route `none`); a call is in no work order's rates. Pure.
 */
export function planCampaignVisits(input: CampaignPlanInput): CampaignVisitDraft[] {
  const { campaign, now, zone } = input;
  const slots = spreadCalls(input.customerIds.length, input.callers.length, input.days.length);
  const quarters = new Map(input.days.map((d) => [d.date, quarterOf(d.closesAt, zone).label]));
  return input.customerIds.map((customerId, i) => {
    const day = input.days[slots[i].day];
    const assignee = input.callers[slots[i].caller];
    const visit = Object.assign(new Visit(), {
      officeId: campaign.officeId,
      workOrderId: null,
      projectId: null,
      campaignId: campaign.id,
      customerId: String(customerId),
      details: null,
      generation: 1,
      kind: 'campaign',
      purpose: 'main',
      countsForRate: false,
      status: now >= day.opensAt ? VisitStatus.Due : VisitStatus.Planned,
      quarter: quarters.get(day.date)!,
      opensAt: day.opensAt,
      closesAt: day.closesAt,
      residentId: null,
      unitId: null,
      residentRoute: 'none' as const,
      residentCompletes: false,
      teamIncomplete: false,
      escalationRound: 0,
      late: false,
      createdAt: now,
      updatedAt: now,
    });
    const history: HistoryNote = {
      action: 'planned',
      actor: 'system',
      actorKind: 'system',
      details: { purpose: 'main', opensAt: day.opensAt.toISOString(), closesAt: day.closesAt.toISOString(), assignees: [assignee], campaignId: campaign.id },
    };
    return { visit, assignee, history };
  });
}
