import { EntityManager, In } from 'typeorm';
import { Campaign, Customer, Office, Resident, ResidentRoute, Visit } from '../../entities';
import { CampaignCallAnswer, render as renderCallCard } from '../../cards/campaign-call.card';
import { RenderedMessage } from '../channels/channel';
import { SignedLinks } from '../survey/signed-link';
import { CardPurpose, visitCardId } from '../visits/visit-card-ids';

/** Whom a call is to: a follow-up campaign's customer, or a visit plan's resident (null when deleted). */
export interface Callee {
  customer: Customer | null;
  resident?: VisitedResident | null;
}

/** A visit plan's resident as the caller sees them: name, phone, unit and how to reach them. */
export interface VisitedResident {
  name: string | null;
  phone: string | null;
  unitId: string | null;
  route: ResidentRoute;
}

/** How the caller reaches a resident, by the route the property's visits take (src/visits/resident-route.ts). */
export const REACH_LABELS: Record<ResidentRoute, string> = {
  card: '企业微信/钉钉消息',
  sidebar: '微信（聊天工具栏发链接）',
  external: '微信（客户联系）',
  official_account: '公众号消息',
  none: '电话',
};

/** What a call's card names: its office, campaign and customer or resident. */
export interface CallSubject extends Callee {
  office: Pick<Office, 'name'>;
  campaign: Pick<Campaign, 'name'>;
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
    const r = subject.resident;
    return renderCallCard({
      cardId,
      officeName: subject.office.name,
      campaignName: subject.campaign.name,
      ...(r
        ? { resident: { name: r.name, unit: r.unitId, phone: r.phone, reach: REACH_LABELS[r.route] } }
        : { customer: { name: c?.name ?? '（客户已删除）', company: c?.company ?? null, phone: c?.phone ?? null, region: c?.region ?? null, product: c?.product ?? null, inquiry: c?.inquiry ?? null } }),
      recordFormUrl: this.formUrl(visit.id, staffId, now),
      ...(answered ? { answered: answered.answer, attempts: answered.attempts } : {}),
    });
  }
}

/** Whom each of some calls is to: their customers and residents read together, then looked up per call. */
export async function calleesOf(manager: EntityManager, visits: readonly Visit[]): Promise<(visit: Visit) => Callee> {
  const customers = await customersOf(manager, visits);
  const residents = new Map<string, Resident>();
  const wanted = visits.filter((v) => v.residentId !== null);
  for (let i = 0; i < wanted.length; i += 500) {
    const part = wanted.slice(i, i + 500);
    for (const r of await manager.findBy(Resident, part.map((v) => ({ officeId: v.officeId, id: v.residentId! })))) residents.set(`${r.officeId}\u0000${r.id}`, r);
  }
  return (visit) => {
    if (visit.residentId === null) return { customer: visit.customerId ? (customers.get(visit.customerId) ?? null) : null };
    const r = residents.get(`${visit.officeId}\u0000${visit.residentId}`);
    return { customer: null, resident: { name: r?.name ?? null, phone: r?.phone ?? null, unitId: visit.unitId, route: visit.residentRoute ?? 'none' } };
  };
}

/** The customers of some calls, by id. */
async function customersOf(manager: EntityManager, visits: readonly Pick<Visit, 'customerId'>[]): Promise<Map<string, Customer>> {
  const ids = [...new Set(visits.map((v) => Number(v.customerId)).filter((id) => Number.isSafeInteger(id)))];
  const found = new Map<string, Customer>();
  for (let i = 0; i < ids.length; i += 500) {
    for (const c of await manager.findBy(Customer, { id: In(ids.slice(i, i + 500)) })) found.set(String(c.id), c);
  }
  return found;
}
