import { DataSource, EntityManager, In } from 'typeorm';
import { render as renderPlainNotice } from '../../cards/plain-notice.card';
import { Campaign, Office, StaffMember } from '../../entities';
import { inTransaction } from '../db/transaction';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { officeZone } from '../offices/office-zone';
import { resolvePolicy } from '../rules/office-policy';
import { Notifier } from '../visits/notifier';
import { CampaignCall, unrecordedCalls } from './campaign-calls';
import { atTimeOn, closingTime, isWorkingDay, OfficeDay, officeDayOf, previousWorkingDay } from './closing-days';
import { listed } from './listed';

/** How far back the supervisor's morning message looks for calls still without a record. */
const MISSING_LOOKBACK_DAYS = 14;

/**
 * The `campaign-closing` sweep, daily closing (日清日结, docs/rules.md §8, machinery 4.3(3)): on a
 * working day past its closing time, each caller gets one message listing that day's campaign
 * calls without a record (`campaign-closing:<office>:<date>:<staff>`); past the start of the next
 * working day, the supervisors get one message with what is still missing per caller
 * (`campaign-missing:<office>:<date>:<staff>`). Nothing missing, nothing sent. The unique outbox
 * keys make a rerun, or a second instance running it at the same moment, queue nothing twice.
 */
export class DailyClosingJob implements Job {
  readonly name = JobName.CampaignClosing;

  constructor(private readonly deps: { dataSource: DataSource; notifier: Notifier; defaultTimeZone: string }) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const offices = await this.deps.dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
    const failures = new ItemFailures(context.log);
    let callers = 0;
    let supervisors = 0;
    for (const office of offices) {
      const told = await failures.attempt({ officeId: office.id }, () => this.runOffice(office, context.now), null);
      callers += told?.callers ?? 0;
      supervisors += told?.supervisors ?? 0;
    }
    return { offices: offices.length, callersTold: callers, supervisorsTold: supervisors, failed: failures.count, ...failures.report() };
  }

  private async runOffice(office: Office, now: Date): Promise<{ callers: number; supervisors: number }> {
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const policy = resolvePolicy(office.policy);
    const today = officeDayOf(now, zone);
    const weekdays = policy.workingHours.weekdays;
    if (!isWorkingDay(today, zone, weekdays)) return { callers: 0, supervisors: 0 };
    const closed = now >= atTimeOn(today, closingTime(policy), zone) ? await this.closeDay(office, today, now) : 0;
    const yesterday = previousWorkingDay(today, zone, weekdays);
    const morning = yesterday && now >= atTimeOn(today, policy.workingHours.start, zone) ? await this.tellMissing(office, today, yesterday, now) : 0;
    return { callers: closed, supervisors: morning };
  }

  /** Each caller's calls of the day without a record, one message per caller. */
  private async closeDay(office: Office, day: OfficeDay, now: Date): Promise<number> {
    const calls = await unrecordedCalls(this.deps.dataSource.manager, office.id, day.from, day.to);
    if (calls.length === 0) return 0;
    return inTransaction(this.deps.dataSource, async (manager) => {
      const campaigns = await campaignNames(manager, calls);
      let told = 0;
      for (const [staffId, theirs] of byCaller(calls)) {
        const caller = await manager.findOneBy(StaffMember, { officeId: office.id, id: staffId, active: true });
        if (!caller) continue;
        const key = `campaign-closing:${office.id}:${day.date}`;
        const payload = renderPlainNotice({
          title: `今日回访未记录：${theirs.length} 个`,
          lines: [...listed(theirs.map((c) => `${c.customerName ?? `#${c.visitId}`}（${campaigns.get(c.campaignId) ?? c.campaignId}）`)), '请今天内补录回访记录（日清日结）。'],
          uniqueTag: `${key}:${staffId}`,
          officeName: office.name,
        });
        if (await this.deps.notifier.tellStaff(manager, office, caller, { key, purpose: 'campaign_closing', payload, now })) told++;
      }
      return told;
    });
  }

  /** The supervisors' morning message: per caller, the calls up to the last working day still without a record. */
  private async tellMissing(office: Office, today: OfficeDay, yesterday: OfficeDay, now: Date): Promise<number> {
    const since = new Date(yesterday.to.getTime() - MISSING_LOOKBACK_DAYS * 86_400_000);
    const calls = await unrecordedCalls(this.deps.dataSource.manager, office.id, since, today.from);
    if (calls.length === 0) return 0;
    return inTransaction(this.deps.dataSource, async (manager) => {
      const staff = await manager.find(StaffMember, { where: { officeId: office.id } });
      const nameOf = new Map(staff.map((s) => [s.id, s.name]));
      const lines = [...byCaller(calls)].map(
        ([staffId, theirs]) => `${nameOf.get(staffId) ?? staffId}：${theirs.length} 个（${theirs.map((c) => c.customerName ?? `#${c.visitId}`).slice(0, 5).join('、')}${theirs.length > 5 ? '…' : ''}）`,
      );
      const key = `campaign-missing:${office.id}:${today.date}`;
      const title = `回访日清：截至 ${yesterday.date} 仍有 ${calls.length} 个回访未记录`;
      return (await this.deps.notifier.tellSupervisors(manager, office, { key, title, lines, now })).length;
    });
  }
}

/** The calls by caller, callers in id order; calls nobody is assigned to are left out. */
function byCaller(calls: CampaignCall[]): Map<string, CampaignCall[]> {
  const groups = new Map<string, CampaignCall[]>();
  for (const call of [...calls].sort((a, b) => (a.staffId ?? '').localeCompare(b.staffId ?? ''))) {
    if (!call.staffId) continue;
    groups.set(call.staffId, [...(groups.get(call.staffId) ?? []), call]);
  }
  return groups;
}

async function campaignNames(manager: EntityManager, calls: CampaignCall[]): Promise<Map<string, string>> {
  const campaigns = await manager.find(Campaign, { where: { id: In([...new Set(calls.map((c) => c.campaignId))]) }, select: ['id', 'name'] });
  return new Map(campaigns.map((c) => [c.id, c.name]));
}
