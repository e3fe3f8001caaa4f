import { DataSource } from 'typeorm';
import { Campaign, Visit } from '../../entities';
import { NotFoundError } from '../errors';
import { invalidFields, validate } from '../http/validation';
import { CampaignRecordBody, campaignRecordBody, checkCampaignAnswers } from '../visits/campaign-call-answers';
import { VisitCommand } from '../visits/visit-decision';

/**
 * A campaign call's record as entry points take it (the admin API, the call form): checked
 * against the campaign's own questions and methods, and turned into the lifecycle command —
 * `record` when the customer was reached, `call_attempt` when not (docs/rules.md §8).
 */
export class CampaignCalls {
  constructor(private readonly dataSource: DataSource) {}

  /** The campaign of a campaign visit (404 for an unknown visit or one of no campaign). */
  async campaignOf(visitId: number): Promise<Campaign> {
    const visit = await this.dataSource.getRepository(Visit).findOne({ where: { id: visitId }, select: { id: true, campaignId: true } });
    const campaign = visit?.campaignId ? await this.dataSource.getRepository(Campaign).findOneBy({ id: visit.campaignId }) : null;
    if (!campaign) throw new NotFoundError(`campaign call ${visitId}`);
    return campaign;
  }

  /** The command a record body asks for; 400 naming every bad field (unknown answer keys, wrong types, a method the campaign does not use). */
  async command(visitId: number, input: unknown): Promise<{ actor: string; command: VisitCommand }> {
    const body = validate(campaignRecordBody, input);
    return { actor: body.staffId, command: callCommand(await this.campaignOf(visitId), body, 'api') };
  }
}

/** A checked record body as the lifecycle's command; throws the 400 naming its bad fields. */
export function callCommand(campaign: Campaign, body: Omit<CampaignRecordBody, 'staffId'>, via: 'api' | 'form'): VisitCommand {
  const problems: { field: string; message: string }[] = [];
  if (!campaign.methods.includes(body.method)) problems.push({ field: 'method', message: `is not a method of this campaign (${campaign.methods.join(', ')})` });
  if (!body.reached) {
    if (problems.length > 0) throw invalidFields(problems);
    return { type: 'call_attempt', method: body.method, via, notes: body.notes ?? null };
  }
  const checked = checkCampaignAnswers(campaign.questions, body.answers);
  if ('problems' in checked) problems.push(...checked.problems);
  if (problems.length > 0 || 'problems' in checked) throw invalidFields(problems);
  const o = body.opinions;
  return {
    type: 'record',
    method: body.method,
    notes: body.notes ?? null,
    answers: {
      call: 'campaign',
      answers: checked.answers,
      needs: body.needs ?? null,
      opinions: { presale: o?.presale ?? null, sale: o?.sale ?? null, aftersale: o?.aftersale ?? null },
      complaints: body.complaints ?? null,
      inquiryValid: body.inquiryValid ?? null,
      followUp: body.followUp ?? null,
    },
  };
}
