import { Visit } from '../../entities';
import { CallDay, spreadCalls } from '../rules/campaign-days';
import { staffVisitDraft } from './staff-visit-draft';
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
  const { campaign } = input;
  const slots = spreadCalls(input.customerIds.length, input.callers.length, input.days.length);
  return input.customerIds.map((customerId, i) => {
    const day = input.days[slots[i].day];
    const assignee = input.callers[slots[i].caller];
    const { visit, history } = staffVisitDraft(
      // The customer is no resident: nobody is asked by the product, the caller calls (route `none`).
      { officeId: campaign.officeId, kind: 'campaign', purpose: 'main', campaignId: campaign.id, customerId: String(customerId), residentId: null, residentRoute: 'none' },
      day,
      assignee,
      { campaignId: campaign.id },
      input,
    );
    return { visit, assignee, history };
  });
}
