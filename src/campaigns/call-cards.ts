import { EntityManager, In } from 'typeorm';
import { Campaign, Customer, Office, Visit } from '../../entities';
import { CampaignCallAnswer, render as renderCallCard } from '../../cards/campaign-call.card';
import { RenderedMessage } from '../channels/channel';
import { SignedLinks } from '../survey/signed-link';
import { CardPurpose, visitCardId } from '../visits/visit-card-ids';

/** What a call's card names: its office, campaign and customer. */
export interface CallSubject {
  office: Pick<Office, 'name'>;
  campaign: Pick<Campaign, 'name'>;
  customer: Customer | null;
}

/**
 * The card of one campaign call to its caller (cards/campaign-call.card.ts), with the signed
 * link to the call's record form (`/f/:token`, bound to the visit and the caller, 7 days).
 */
export class CallCards {
  constructor(private readonly deps: { links: SignedLinks; publicBaseUrl: string }) {}

  cardId(visit: Pick<Visit, 'id' | 'createdAt' | 'opensAt'>, staffId: string, day: string): string {
    return visitCardId(visit, CardPurpose.CampaignCall, day, staffId);
  }

  formUrl(visitId: number, staffId: string, now: Date): string {
    return `${this.deps.publicBaseUrl}/f/${this.deps.links.issue({ visitId, purpose: 'record', staffId }, now)}`;
  }

  render(subject: CallSubject, visit: Pick<Visit, 'id'>, cardId: string, staffId: string, now: Date, answered?: { answer: CampaignCallAnswer; attempts: number }): RenderedMessage {
    const c = subject.customer;
    return renderCallCard({
      cardId,
      officeName: subject.office.name,
      campaignName: subject.campaign.name,
      customer: { name: c?.name ?? '（客户已删除）', company: c?.company ?? null, phone: c?.phone ?? null, region: c?.region ?? null, product: c?.product ?? null, inquiry: c?.inquiry ?? null },
      recordFormUrl: this.formUrl(visit.id, staffId, now),
      ...(answered ? { answered: answered.answer, attempts: answered.attempts } : {}),
    });
  }
}

/** The customers of some calls, by id. */
export async function customersOf(manager: EntityManager, visits: readonly Pick<Visit, 'customerId'>[]): Promise<Map<string, Customer>> {
  const ids = [...new Set(visits.map((v) => Number(v.customerId)).filter((id) => Number.isSafeInteger(id)))];
  const found = new Map<string, Customer>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of await manager.findBy(Customer, { id: In(ids.slice(i, i + 500)) })) found.set(String(c.id), c);
  }
  return found;
}
