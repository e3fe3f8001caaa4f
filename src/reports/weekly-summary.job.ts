import { DateTime } from 'luxon';
import { DataSource, In } from 'typeorm';
import { render as renderWeeklySummary, SummaryVisit, WeeklySummaryProps } from '../../cards/weekly-summary.card';
import { Office, OutboundMessage } from '../../entities';
import { inTransaction } from '../db/transaction';
import { ItemFailures } from '../jobs/item-failures';
import { Job, JobContext, JobName } from '../jobs/job';
import { enqueue } from '../outbox/outbox';
import { isoWeekOf } from '../rules/iso-week';
import { SignedLinks } from '../survey/signed-link';
import { Notifier } from '../visits/notifier';
import { robotBodies } from './robot-body';
import { SummaryVisitItem, WeeklySummary } from './weekly-summary';
import { WeeklySummaryService } from './weekly-summary.service';
import { warrantyLine } from './weekly-warranty.page';
import { activeStaffWithRole } from '../offices/office-staff';
import { officeZone } from '../offices/office-zone';

/** When in the new week the last week's summary goes out: Monday 09:00 on the office's clock. */
const SEND_HOUR = 9;

/** What happened for one office in one run. */
type OfficeOutcome = 'not_yet' | 'no_recipients' | 'already_queued' | 'queued';

/**
 * The `weekly-summary` sweep (docs/rules.md §5): for each office whose local time is past Monday
 * 09:00, queues the previous ISO week's summary card to each active supervisor
 * (dedupe `weekly:<office>:<week>:<staff>`) and, when a summary robot is configured, to the
 * robot (dedupe `weekly-robot:<office>:<week>`).
 *
 * Idempotent through the outbox's unique dedupe keys: a rerun, a second instance or a run
 * after downtime queues nothing twice; an office whose rows all exist is skipped before the
 * summary is even computed. Only the last week is sent: after a longer outage older weeks
 * stay available through `GET /api/reports/weekly`. One office's failure never stops the rest:
 * it is logged and listed in the run's `failures`.
 */
/** A summary link stays valid for a quarter: supervisors look back at past weeks. */
const WEEKLY_LINK_SECONDS = 92 * 86_400;

export class WeeklySummaryJob implements Job {
  readonly name = JobName.WeeklySummary;

  constructor(
    private readonly deps: {
      dataSource: DataSource;
      notifier: Notifier;
      summaries: WeeklySummaryService;
      defaultTimeZone: string;
      publicBaseUrl: string;
      summaryRobot: { url: string; secret: string | null } | null;
      /** Signs the card's link to the summary page, which supervisors open without a token. */
      links?: SignedLinks;
    },
  ) {}

  async run(context: JobContext): Promise<Record<string, unknown>> {
    const offices = await this.deps.dataSource.getRepository(Office).find({ order: { id: 'ASC' } });
    const counts: Record<OfficeOutcome, number> = { not_yet: 0, no_recipients: 0, already_queued: 0, queued: 0 };
    const failures = new ItemFailures(context.log);
    for (const office of offices) {
      const outcome = await failures.attempt({ officeId: office.id }, () => this.runOffice(office, context), null);
      if (outcome) counts[outcome] += 1;
    }
    return { offices: offices.length, ...counts, failed: failures.count, ...failures.report() };
  }

  private async runOffice(office: Office, context: JobContext): Promise<OfficeOutcome> {
    const { now } = context;
    const zone = officeZone(office, this.deps.defaultTimeZone);
    const current = isoWeekOf(now, zone);
    // Why the zone: "Monday 09:00" is on the office's wall clock.
    if (now < DateTime.fromJSDate(current.from, { zone }).set({ hour: SEND_HOUR }).toJSDate()) return 'not_yet';
    const week = isoWeekOf(new Date(current.from.getTime() - 1), zone).label;

    const supervisors = await activeStaffWithRole(this.deps.dataSource.manager, office.id, 'supervisor');
    const robot = this.deps.summaryRobot;
    const keys = [...supervisors.map((s) => `weekly:${office.id}:${week}:${s.id}`), ...(robot ? [`weekly-robot:${office.id}:${week}`] : [])];
    if (keys.length === 0) return 'no_recipients';
    const queued = await this.deps.dataSource.getRepository(OutboundMessage).countBy({ dedupeKey: In(keys) });
    if (queued === keys.length) return 'already_queued';

    const summary = await this.deps.summaries.compute(office, week, now);
    const props = this.cardProps(summary, zone, now);
    let added = 0;
    await inTransaction(this.deps.dataSource, async (manager) => {
      const payload = renderWeeklySummary({ ...props, via: 'app' });
      for (const supervisor of supervisors) {
        // The key makes it once per office, week and supervisor, whoever runs the job.
        const key = `weekly:${office.id}:${week}`;
        if (await this.deps.notifier.tellStaff(manager, office, supervisor, { key, purpose: 'weekly_summary', payload, now })) added++;
      }
      if (robot) {
        const message = renderWeeklySummary({ ...props, via: 'robot' });
        const draft = {
          officeId: office.id,
          dedupeKey: `weekly-robot:${office.id}:${week}`,
          channel: 'robot' as const,
          purpose: 'weekly_summary',
          recipientKind: 'group' as const,
          recipientId: 'summary-robot',
          address: robot.url,
          payload: { kind: 'robot' as const, ...robotBodies(message) },
          notBefore: now,
        };
        if (await enqueue(manager, draft, now)) added++;
      }
    });
    context.log.info({ officeId: office.id, week, queued: added }, 'weekly summary queued');
    return 'queued';
  }

  private cardProps(summary: WeeklySummary, zone: string, now: Date): Omit<WeeklySummaryProps, 'via'> {
    const day = (iso: string, minusDays = 0) => DateTime.fromISO(iso, { zone }).minus({ days: minusDays }).toFormat('M月d日');
    const link = this.deps.links
      ? new URL(`/r/weekly/${this.deps.links.issue({ visitId: 0, purpose: 'weekly', officeId: summary.officeId, week: summary.week }, now, WEEKLY_LINK_SECONDS)}`, this.deps.publicBaseUrl)
      : new URL('/api/reports/weekly', this.deps.publicBaseUrl);
    if (!this.deps.links) {
      link.searchParams.set('officeId', summary.officeId);
      link.searchParams.set('week', summary.week);
    }
    return {
      officeName: summary.officeName,
      week: summary.week,
      period: `${day(summary.from)}—${day(summary.to, 1)}`,
      link: link.toString(),
      uniqueTag: `${summary.officeId}:${summary.week}`,
      totals: summary.totals,
      kinds: summary.kinds
        .filter((k) => k.eligible > 0 || k.due > 0 || k.done > 0)
        .map((k) => ({ kind: k.kind, rate: k.rate, target: k.target, onTime: k.quarterOnTime, eligible: k.eligible })),
      satisfactionAvg: summary.satisfactionAvg,
      unqualified: summary.unqualified.map(visitOf),
      overdue: summary.overdue.map(visitOf),
      staff: summary.staff.map((s) => ({
        name: s.name ?? s.staffId,
        assigned: s.assigned,
        done: s.done,
        onTime: s.onTime,
        overdue: s.overdue,
        satisfactionAvg: s.satisfactionAvg,
      })),
      awaitingConfirmation: summary.awaitingConfirmation.map(visitOf),
      warranty: summary.warranty.map((p) => ({ project: p.name, ...warrantyLine(p), late: p.openRepairs.some((r) => r.onSite === 'missed' || r.solved === 'missed') })),
    };
  }
}

function visitOf(item: SummaryVisitItem): SummaryVisit {
  const names = item.assignees.map((a) => a.name ?? a.staffId).join('、');
  return { title: item.title ?? item.reference, unit: item.unitId ?? '—', kind: item.kind, ...(names ? { staffName: names } : {}) };
}
