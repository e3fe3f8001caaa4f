import { Visit } from '../../entities';
import { CallDay, spreadCalls } from '../rules/campaign-days';
import { staffVisitDraft } from './staff-visit-draft';
import { Assignee, HistoryNote } from './visit-decision';

/**
 * Whom one call is to: a customer (a follow-up campaign), or a resident of a property visit plan
 * with their unit and the route the property's visits take to them (src/visits/resident-route.ts).
 */
export type CampaignCallee = { customerId: string } | { residentId: string; unitId: string | null; residentRoute: Visit['residentRoute'] };

export interface CampaignPlanInput {
  campaign: { id: string; officeId: string };
  /** The selected customers or residents, in id order. */
  callees: readonly CampaignCallee[];
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
 * Plans a campaign's calls (docs/rules.md §8): one visit of kind `campaign` per customer or
 * resident, the callers in turn and the days in even blocks (spreadCalls), each visit's window
 * the callable hours of its day — so neither its opening (the morning list) nor its end falls in
 * quiet hours. The caller makes the call (`residentCompletes` false): a customer is no resident
 * (route `none`); a visit plan's resident keeps the route the property would take, which tells
 * the visitor how to reach them. A call is in no work order's rates. Pure.
 */
export function planCampaignVisits(input: CampaignPlanInput): CampaignVisitDraft[] {
  const { campaign } = input;
  const slots = spreadCalls(input.callees.length, input.callers.length, input.days.length);
  return input.callees.map((callee, i) => {
    const day = input.days[slots[i].day];
    const assignee = input.callers[slots[i].caller];
    const whom = 'customerId' in callee ? { customerId: callee.customerId, residentId: null, residentRoute: 'none' as const } : { customerId: null, ...callee };
    const { visit, history } = staffVisitDraft({ officeId: campaign.officeId, kind: 'campaign', purpose: 'main', campaignId: campaign.id, ...whom }, day, assignee, { campaignId: campaign.id }, input);
    return { visit, assignee, history };
  });
}
