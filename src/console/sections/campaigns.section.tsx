import type { VNode } from 'preact';
import { DateTime } from 'luxon';
import { In } from 'typeorm';
import { Campaign, Office, VisitStatus } from '../../../entities';
import { campaignReportPath } from '../../campaign-reports/campaign-report-messages';
import { CampaignService } from '../../campaigns/campaign.service';
import { officeZone } from '../../offices/office-zone';
import { STATUS_LABELS } from '../../staff-form/staff-form-view';
import { overseenOffices, overseesAny, staffIdIn } from '../console-user';
import { ConsoleSection, SectionDeps, SectionRequest } from '../section';

type Counted = Awaited<ReturnType<CampaignService['get']>>;
type ByStatus = Counted['visits']['byStatus'];

/**
 * `/console/campaigns` — the customer follow-up campaigns (docs/rules.md §8) of the offices a
 * supervisor or manager oversees (the admin: every office), each with its days, callers and
 * calls counted by status; `/console/campaigns/:id` — one campaign's counts per caller and
 * the links to its weekly report pages. Read-only: the counts are `GET /api/campaigns/:id`'s,
 * the report links are signed for the reader as the chat's report messages are.
 */
const campaignsSection: ConsoleSection = {
  path: '/console/campaigns',
  title: '回访活动',
  inNav: true,
  mayView: overseesAny,
  async render(request, deps) {
    const offices = await overseenOffices(deps.dataSource, request.user);
    const campaigns = offices.length === 0 ? [] : await deps.dataSource.getRepository(Campaign).find({ where: { officeId: In(offices.map((o) => o.id)) }, order: { startsOn: 'DESC', id: 'ASC' } });
    const counted = await Promise.all(campaigns.map((c) => service(deps).get(c.id)));
    return {
      title: '客户回访活动',
      body: (
        <section data-section="campaigns">
          <h1>客户回访活动</h1>
          {counted.length === 0 ? <p class="muted">还没有回访活动。</p> : <CampaignTable campaigns={counted} offices={offices} />}
        </section>
      ),
    };
  },
};

const campaignSection: ConsoleSection = {
  path: '/console/campaigns/:id',
  title: '回访活动',
  inNav: false,
  mayView: overseesAny,
  async render(request, deps) {
    const campaign = await deps.dataSource.getRepository(Campaign).findOneBy({ id: request.params.id ?? '' });
    const office = campaign && (await overseenOffices(deps.dataSource, request.user)).find((o) => o.id === campaign.officeId);
    // Another office's campaign is simply not found.
    if (!campaign || !office) return { notFound: true };
    const counted = await service(deps).get(campaign.id);
    const reader = staffIdIn(request.user, office.id);
    return {
      title: campaign.name,
      body: (
        <>
          <section data-section="campaign">
            <h1>{campaign.name}</h1>
            <p>{office.name} · {campaign.startsOn} 至 {campaign.endsOn} · 共 {counted.visits.total} 通</p>
            <table>
              <thead><tr><th>回访员</th><th>合计</th><th>各状态</th></tr></thead>
              <tbody>
                {counted.visits.byCaller.map((c) => (
                  <tr data-caller={c.staffId}><td>{c.name ?? c.staffId}</td><td>{c.total}</td><td><StatusCounts byStatus={c.byStatus} /></td></tr>
                ))}
              </tbody>
            </table>
          </section>
          <section data-section="reports">
            <h2>每周报告</h2>
            {reader ? (
              <ul>
                {reportWeeks(campaign, office, request, deps).map((week) => (
                  <li><a href={campaignReportPath(deps.links, { campaignId: campaign.id, week }, reader, request.now)}>{week}</a></li>
                ))}
              </ul>
            ) : (
              <p class="muted">报告链接按读者签发，只给本管理处的员工。</p>
            )}
          </section>
        </>
      ),
    };
  },
};

export const CAMPAIGN_SECTIONS: readonly ConsoleSection[] = [campaignsSection, campaignSection];

const service = (deps: SectionDeps) => new CampaignService({ dataSource: deps.dataSource, clock: deps.clock, defaultTimeZone: deps.defaultTimeZone });

/** The ISO weeks of the campaign so far (from its first day to its last, or to this week). */
function reportWeeks(campaign: Campaign, office: Office, request: SectionRequest, deps: SectionDeps): string[] {
  const zone = officeZone(office, deps.defaultTimeZone);
  const today = DateTime.fromJSDate(request.now, { zone }).toISODate()!;
  const last = DateTime.fromISO(campaign.endsOn < today ? campaign.endsOn : today, { zone });
  const weeks: string[] = [];
  for (let day = DateTime.fromISO(campaign.startsOn, { zone }).startOf('week'); day <= last; day = day.plus({ weeks: 1 })) weeks.push(day.toFormat("kkkk-'W'WW"));
  return weeks;
}

function CampaignTable({ campaigns, offices }: { campaigns: Counted[]; offices: Office[] }): VNode {
  return (
    <table>
      <thead><tr><th>活动</th><th>管理处</th><th>日期</th><th>回访员</th><th>合计</th><th>各状态</th></tr></thead>
      <tbody>
        {campaigns.map((c) => (
          <tr data-campaign={c.id}>
            <td><a href={`/console/campaigns/${encodeURIComponent(c.id)}`}>{c.name}</a></td>
            <td>{offices.find((o) => o.id === c.officeId)?.name ?? c.officeId}</td>
            <td>{c.startsOn} 至 {c.endsOn}</td>
            <td>{c.visits.byCaller.map((x) => x.name ?? x.staffId).join('、')}</td>
            <td>{c.visits.total}</td>
            <td><StatusCounts byStatus={c.visits.byStatus} /></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function StatusCounts({ byStatus }: { byStatus: ByStatus }): VNode {
  const entries = Object.entries(byStatus) as Array<[VisitStatus, number]>;
  return <>{entries.map(([status, n]) => <span data-count={status}>{STATUS_LABELS[status] ?? status} {n} </span>)}</>;
}
