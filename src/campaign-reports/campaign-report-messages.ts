import { EntityManager } from 'typeorm';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { CampaignGuidance, Office, StaffMember } from '../../entities';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from '../visits/notifier';
import { CallerFigures, CampaignReport } from './campaign-report';

/** A report link stays valid for a quarter: supervisors and leaders look back at past weeks. */
const REPORT_LINK_SECONDS = 92 * 86_400;

const average = (value: number | null) => (value === null ? '—' : value.toFixed(2));
const figuresLine = (f: CallerFigures) =>
  `已回访 ${f.made}（计划 ${f.planned}，未记录 ${f.missing}），联系上 ${f.reached}，有效询盘 ${f.validInquiries}，满意度 ${average(f.satisfactionAvg)}，提出问题 ${f.problems}`;

/** The path of a campaign week's report page for one reader (`/r/campaign/:token`); the console links it too. */
export function campaignReportPath(links: SignedLinks, report: Pick<CampaignReport, 'campaignId' | 'week'>, staffId: string, now: Date): string {
  return `/r/campaign/${links.issue({ visitId: 0, purpose: 'campaign_report', campaignId: report.campaignId, week: report.week, staffId }, now, REPORT_LINK_SECONDS)}`;
}

/** What the weekly report says in chat (docs/rules.md §8): the report to supervisors and leaders, the guidance to callers. */
export class CampaignReportMessages {
  constructor(private readonly deps: { notifier: Notifier; links: SignedLinks; publicBaseUrl: string }) {}

  /** The report page for one reader: supervisors write guidance there, everyone else reads. */
  linkFor(report: Pick<CampaignReport, 'campaignId' | 'week'>, staffId: string, now: Date): string {
    return new URL(campaignReportPath(this.deps.links, report, staffId, now), this.deps.publicBaseUrl).toString();
  }

  /** The report with its link to each reader, once per `key` and reader; how many were queued. */
  async tellReport(manager: EntityManager, office: Office, report: CampaignReport, readers: StaffMember[], message: { key: string; purpose: string; linkText: string; now: Date }): Promise<number> {
    let queued = 0;
    for (const reader of readers) {
      const payload = renderPlainNotice({
        title: `客户回访报告 ${report.week}：${report.campaignName}`,
        lines: [`合计：${figuresLine(report.totals)}`, ...report.callers.map((c) => `${c.name ?? c.staffId}：${figuresLine(c)}`)],
        link: { text: message.linkText, url: this.linkFor(report, reader.id, message.now) },
        uniqueTag: `${message.key}:${reader.id}`,
        officeName: office.name,
      });
      if (await this.deps.notifier.tellStaff(manager, office, reader, { key: message.key, purpose: message.purpose, payload, now: message.now })) queued++;
    }
    return queued;
  }

  /** The supervisor's guidance to the callers it is for. */
  async tellGuidance(manager: EntityManager, office: Office, report: CampaignReport, guidance: CampaignGuidance, byName: string, callers: StaffMember[], now: Date): Promise<number> {
    let queued = 0;
    for (const caller of callers) {
      const key = `campaign-guidance:${guidance.id}`;
      const payload = renderPlainNotice({
        title: `回访报告指导意见 ${report.week}：${report.campaignName}`,
        lines: [`${byName}：${guidance.text}`],
        link: { text: '查看报告', url: this.linkFor(report, caller.id, now) },
        uniqueTag: `${key}:${caller.id}`,
        officeName: office.name,
      });
      if (await this.deps.notifier.tellStaff(manager, office, caller, { key, purpose: 'campaign_guidance', payload, now })) queued++;
    }
    return queued;
  }
}
