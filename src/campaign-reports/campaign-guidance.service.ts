import { DataSource } from 'typeorm';
import { CampaignGuidance, StaffMember } from '../../entities';
import { Clock } from '../clock';
import { inTransaction } from '../db/transaction';
import { DomainError } from '../errors';
import { invalidFields } from '../http/validation';
import { activeStaffWithRole } from '../offices/office-staff';
import { CampaignReport } from './campaign-report';
import { CampaignReportMessages } from './campaign-report-messages';
import { CampaignReports } from './campaign-report.service';

export interface GuidanceInput {
  campaignId: string;
  week: string;
  /** The supervisor writing it. */
  by: string;
  text: string;
  /** One caller it is for; absent: every caller of the campaign. */
  staffId?: string | null;
}

/**
 * The supervisor's guidance (指导意见) on a campaign's weekly report (docs/rules.md §8): stored
 * (the history keeps every entry), sent to the caller it is for (or to every caller), and the
 * first guidance of a week makes the report reviewed: it then goes to the company's leadership —
 * the office's managers, as the staff roles name no other leadership (docs/rules.md §1).
 * All in one transaction; the outbox keys send the leaders each week's report once.
 */
export class CampaignGuidanceService {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock; reports: CampaignReports; messages: CampaignReportMessages }) {}

  async give(input: GuidanceInput): Promise<{ report: CampaignReport; toldCallers: number; toldLeaders: number }> {
    const found = await this.deps.reports.find(input.campaignId);
    const { campaign, office } = found;
    const staff = await this.deps.dataSource.manager.find(StaffMember, { where: { officeId: office.id, active: true } });
    const by = staff.find((s) => s.id === input.by);
    if (!by) throw invalidFields([{ field: 'by', message: 'is not a staff member of the campaign\'s office' }]);
    if (!by.roles.includes('supervisor')) throw new DomainError('forbidden', 'only a supervisor gives guidance on a report', 403);
    if (input.staffId && !campaign.staffIds.includes(input.staffId)) throw invalidFields([{ field: 'staffId', message: 'is not a caller of this campaign' }]);
    const callers = staff.filter((s) => (input.staffId ? s.id === input.staffId : campaign.staffIds.includes(s.id)));
    const now = this.deps.clock.now();
    const before = await this.deps.reports.report(found, input.week);
    const told = await inTransaction(this.deps.dataSource, async (manager) => {
      const guidance = await manager.save(
        manager.create(CampaignGuidance, { campaignId: campaign.id, officeId: office.id, week: before.week, staffId: input.staffId ?? null, by: by.id, text: input.text, createdAt: now }),
      );
      const toldCallers = await this.deps.messages.tellGuidance(manager, office, before, guidance, by.name, callers, now);
      const leaders = await activeStaffWithRole(manager, office.id, 'manager');
      const key = `campaign-report-leaders:${campaign.id}:${before.week}`;
      const toldLeaders = await this.deps.messages.tellReport(manager, office, { ...before, reviewed: true }, leaders, { key, purpose: 'campaign_report', linkText: '查看报告', now });
      return { toldCallers, toldLeaders };
    });
    return { report: await this.deps.reports.report(found, input.week), ...told };
  }
}
