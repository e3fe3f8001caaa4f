import { randomBytes } from 'node:crypto';
import { DataSource, EntityManager } from 'typeorm';
import { Campaign, Office, StaffMember } from '../../entities';
import { Clock } from '../clock';
import { campaignCounts, insertCampaign } from '../db/campaign-store';
import { inTransaction } from '../db/transaction';
import { NotFoundError } from '../errors';
import { invalidFields, validate } from '../http/validation';
import { officeZone } from '../offices/office-zone';
import { callDays } from '../rules/campaign-days';
import { StaffRole } from '../rules/kinds';
import { inZone } from '../rules/local-time';
import { resolvePolicy } from '../rules/office-policy';
import { ChannelName } from '../channels/channel';
import { CampaignCallee, planCampaignVisits } from '../visits/campaign-visit-planning';
import { officeRouteOptions, routeOf } from '../visits/resident-route';
import { Assignee } from '../visits/visit-decision';
import { CampaignBody, campaignBody, DEFAULT_METHODS, RESIDENT_METHODS } from './campaign-input';
import { selectResidents } from './campaign-residents';

type Problem = { field: string; message: string };

/**
 * Customer follow-up campaigns and property visit plans (docs/rules.md §8): setting one up plans
 * its calls — one visit per selected customer or resident, spread over the callers and the working days — and writes them with
 * the campaign in one transaction; a campaign is read back with its calls counted.
 */
export class CampaignService {
  constructor(
    private readonly deps: {
      dataSource: DataSource;
      clock: Clock;
      defaultTimeZone: string;
      /** How the office reaches residents, and whether an Official Account is configured: a visit plan's routes (src/visits/resident-route.ts). */
      channelOf?: (office: Office) => ChannelName;
      officialAccount?: boolean;
    },
  ) {}

  async create(input: unknown, createdBy = 'admin'): Promise<{ id: string; visits: number }> {
    const body = validate(campaignBody, input);
    const now = this.deps.clock.now();
    return inTransaction(this.deps.dataSource, async (manager) => {
      const office = await manager.findOneBy(Office, { id: body.officeId });
      if (!office) throw invalidFields([{ field: 'officeId', message: `is not a known office` }]);
      const zone = officeZone(office, this.deps.defaultTimeZone);
      const policy = resolvePolicy(office.policy);
      const problems: Problem[] = [];
      if (body.to < inZone(now, zone).toISODate()!) problems.push({ field: 'to', message: 'is in the past' });
      const callers = await this.callers(manager, body, problems);
      const callees = body.residents ? await this.residents(manager, office, body.residents, problems) : (await this.customers(manager, body, problems)).map((id) => ({ customerId: String(id) }));
      const days = problems.length > 0 ? [] : callDays(body, zone, policy.workingHours, policy.residentQuietHours, now);
      if (problems.length === 0 && days.length === 0) problems.push({ field: 'to', message: 'leaves no working day with callable hours' });
      if (problems.length > 0) throw invalidFields(problems);
      const campaign = Object.assign(new Campaign(), {
        id: `camp-${randomBytes(6).toString('hex')}`,
        officeId: office.id,
        name: body.name,
        purposes: body.purposes,
        questions: body.questions,
        startsOn: body.from,
        endsOn: body.to,
        selection: body.residents ? { residents: { unitIds: body.residents.unitIds ?? null, ids: body.residents.ids ?? null } } : { category: body.customers?.category ?? null, ids: body.customers?.ids ?? null },
        staffIds: body.staff,
        methods: body.methods ?? [...(body.residents ? RESIDENT_METHODS : DEFAULT_METHODS)],
        createdBy,
        createdAt: now,
      });
      const drafts = planCampaignVisits({ campaign, callees, callers, days, zone, now });
      const visits = await insertCampaign(manager, campaign, drafts, now);
      return { id: campaign.id, visits };
    });
  }

  /** The campaign with its calls counted by status and by caller; 404 when unknown. */
  async get(id: string) {
    const manager = this.deps.dataSource.manager;
    const campaign = await manager.findOneBy(Campaign, { id });
    if (!campaign) throw new NotFoundError(`campaign ${id}`);
    const counts = await campaignCounts(manager, id);
    const staff = await manager.findBy(StaffMember, { officeId: campaign.officeId });
    const byCaller = campaign.staffIds.map((staffId) => {
      const rows = counts.byCaller.filter((r) => r.staffId === staffId);
      return { staffId, name: staff.find((s) => s.id === staffId)?.name ?? null, total: sum(rows), byStatus: tally(rows) };
    });
    return { ...campaign, visits: { total: sum(counts.byStatus), byStatus: tally(counts.byStatus), byCaller } };
  }

  /** The callers: active staff of the campaign's office, each in their first visiting role. */
  private async callers(manager: EntityManager, body: CampaignBody, problems: Problem[]): Promise<Assignee[]> {
    const staff = await manager.findBy(StaffMember, { officeId: body.officeId, active: true });
    return body.staff.flatMap((id, i) => {
      const member = staff.find((s) => s.id === id);
      if (!member) {
        problems.push({ field: `staff.${i}`, message: `is not an active staff member of office ${body.officeId}` });
        return [];
      }
      const role: StaffRole = member.roles.includes('specialist') ? 'specialist' : member.roles[0];
      return [{ staffId: id, role }];
    });
  }

  /** A visit plan's residents, each with their unit and the route the property's visits would take to them. */
  private async residents(manager: EntityManager, office: Office, selection: NonNullable<CampaignBody['residents']>, problems: Problem[]): Promise<CampaignCallee[]> {
    const chosen = await selectResidents(manager, office.id, selection, problems);
    const channel = this.deps.channelOf?.(office) ?? office.channel ?? 'wecom';
    const options = officeRouteOptions(resolvePolicy(office.policy), Boolean(this.deps.officialAccount));
    return chosen.map(({ resident, unitId }) => ({ residentId: resident.id, unitId, residentRoute: routeOf(resident, channel, options) }));
  }

  /** The selected customers in id order: those of the category and those listed (every listed id must be the office's). */
  private async customers(manager: EntityManager, body: CampaignBody, problems: Problem[]): Promise<number[]> {
    const rows = (await manager.query('SELECT id, category FROM customers WHERE officeId = ?', [body.officeId])) as Array<{ id: unknown; category: string | null }>;
    const known = new Set(rows.map((r) => Number(r.id)));
    const chosen = new Set<number>();
    const { category, ids } = body.customers ?? {};
    if (category !== undefined) {
      for (const r of rows) if (r.category === category) chosen.add(Number(r.id));
      if (chosen.size === 0) problems.push({ field: 'customers.category', message: `no customer of office ${body.officeId} is in this category` });
    }
    if (ids !== undefined) {
      const unknown = ids.filter((id) => !known.has(id));
      if (ids.length === 0) problems.push({ field: 'customers.ids', message: 'is empty' });
      else if (unknown.length > 0) problems.push({ field: 'customers.ids', message: `${unknown.length} are not customers of office ${body.officeId} (first: ${unknown.slice(0, 5).join(', ')})` });
      for (const id of ids) chosen.add(id);
    }
    return [...chosen].sort((a, b) => a - b);
  }
}

const sum = (rows: Array<{ n: number }>) => rows.reduce((t, r) => t + r.n, 0);
const tally = (rows: Array<{ status: string; n: number }>) => Object.fromEntries(rows.map((r) => [r.status, r.n]));
