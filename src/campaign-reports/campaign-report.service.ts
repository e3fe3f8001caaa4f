import { DateTime } from 'luxon';
import { DataSource, EntityManager } from 'typeorm';
import { Campaign, CampaignGuidance, Office, StaffMember } from '../../entities';
import { NotFoundError } from '../errors';
import { officeZone } from '../offices/office-zone';
import { parseIsoWeek } from '../rules/iso-week';
import { callsOfWeek } from './campaign-calls';
import { CampaignReport, reportFigures } from './campaign-report';

/** A campaign with its office and the office's zone. */
export interface CampaignAt {
  campaign: Campaign;
  office: Office;
  zone: string;
}

/** The weekly report of a campaign (客户回访报告, docs/rules.md §8), computed when asked. */
export class CampaignReports {
  constructor(private readonly deps: { dataSource: DataSource; defaultTimeZone: string }) {}

  /** The campaign and its office; 404 when there is none by that id. */
  async find(campaignId: string, manager: EntityManager = this.deps.dataSource.manager): Promise<CampaignAt> {
    const campaign = await manager.findOneBy(Campaign, { id: campaignId });
    const office = campaign ? await manager.findOneBy(Office, { id: campaign.officeId }) : null;
    if (!campaign || !office) throw new NotFoundError(`campaign ${campaignId}`);
    return { campaign, office, zone: officeZone(office, this.deps.defaultTimeZone) };
  }

  /** The report of one ISO week 'YYYY-Www' (a label the caller checked). */
  async report(found: CampaignAt, weekLabel: string): Promise<CampaignReport> {
    const { campaign, zone } = found;
    const manager = this.deps.dataSource.manager;
    const week = parseIsoWeek(weekLabel, zone);
    const calls = await callsOfWeek(manager, campaign.id, week.from, week.to);
    const staff = await manager.find(StaffMember, { where: { officeId: campaign.officeId } });
    const names = new Map(staff.map((s) => [s.id, s.name]));
    const guidance = await manager.find(CampaignGuidance, { where: { campaignId: campaign.id, week: week.label }, order: { id: 'ASC' } });
    const local = (at: Date) => DateTime.fromJSDate(at, { zone }).toISODate() ?? '';
    return {
      campaignId: campaign.id,
      campaignName: campaign.name,
      officeId: campaign.officeId,
      timeZone: zone,
      week: week.label,
      from: local(week.from),
      to: local(new Date(week.to.getTime() - 1)),
      ...reportFigures(campaign, calls, week, names),
      guidance: guidance.map((g) => ({ id: g.id, by: g.by, byName: names.get(g.by) ?? null, staffId: g.staffId, text: g.text, at: g.createdAt.toISOString() })),
      reviewed: guidance.length > 0,
    };
  }
}
