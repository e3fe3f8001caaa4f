import { DataSource, In, LessThanOrEqual, MoreThanOrEqual } from 'typeorm';
import { Campaign, Office, OutboundMessage } from '../../entities';
import { inTransaction } from '../db/transaction';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { activeStaffWithRole } from '../offices/office-staff';
import { officeZone } from '../offices/office-zone';
import { isoWeekOf } from '../rules/iso-week';
import { resolvePolicy } from '../rules/office-policy';
import { CampaignReportMessages } from './campaign-report-messages';
import { CampaignReports } from './campaign-report.service';
import { atTimeOn, officeDayOf } from './closing-days';

/**
 * The `campaign-reports` sweep (docs/rules.md §8, machinery 4.4): from the start of the working
 * hours on Monday (office zone), each campaign that ran last week and had calls in it sends its
 * weekly report to the office's supervisors, with a link to the report page where they write
 * their guidance (`campaign-report:<campaign>:<week>:<staff>`: once, whoever runs it).
 */
export class CampaignReportJob implements Job {
  readonly name = JobName.CampaignReports;

  constructor(private readonly deps: { dataSource: DataSource; reports: CampaignReports; messages: CampaignReportMessages; defaultTimeZone: string }) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const offices = await this.deps.dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
    const failures = new ItemFailures(context.log);
    let sent = 0;
    for (const office of offices) sent += (await failures.attempt({ officeId: office.id }, () => this.runOffice(office, context.now), null)) ?? 0;
    return { offices: offices.length, reportsQueued: sent, failed: failures.count, ...failures.report() };
  }

  private async runOffice(office: Office, now: Date): Promise<number> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const current = isoWeekOf(now, zone);
    if (now < atTimeOn(officeDayOf(current.from, zone), resolvePolicy(office.policy).workingHours.start, zone)) return 0;
    const last = isoWeekOf(new Date(current.from.getTime() - 1), zone);
    const firstDay = officeDayOf(last.from, zone).date;
    const lastDay = officeDayOf(new Date(last.to.getTime() - 1), zone).date;
    const campaigns = await this.deps.dataSource.manager.find(Campaign, {
      where: { officeId: office.id, startsOn: LessThanOrEqual(lastDay), endsOn: MoreThanOrEqual(firstDay) },
      order: { id: 'ASC' },
    });
    const supervisors = await activeStaffWithRole(this.deps.dataSource.manager, office.id, 'supervisor');
    let sent = 0;
    for (const campaign of campaigns) {
      const key = `campaign-report:${campaign.id}:${last.label}`;
      const queued = await this.deps.dataSource.getRepository(OutboundMessage).countBy({ dedupeKey: In(supervisors.map((s) => `${key}:${s.id}`)) });
      if (supervisors.length === 0 || queued === supervisors.length) continue;
      const report = await this.deps.reports.report({ campaign, office, zone }, last.label);
      if (report.totals.planned === 0 && report.totals.made === 0) continue;
      sent += await inTransaction(this.deps.dataSource, (manager) =>
        this.deps.messages.tellReport(manager, office, report, supervisors, { key, purpose: 'campaign_report', linkText: '查看报告并写指导意见', now }),
      );
    }
    return sent;
  }
}
