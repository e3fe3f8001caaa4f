import { DataSource } from 'typeorm';
import { Office } from '../../entities';
import { Clock } from '../clock';
import { OfficeService } from '../offices/office.service';
import { DEMO_OFFICE, DEMO_OFFICE_ID, DEMO_RESIDENTS, DEMO_TIME_ZONE } from './demo-office';
import { seedDemoCampaign } from './demo-campaign';
import { seedDemoProject } from './demo-project';
import { demoWeek } from './demo-week';
import { SandboxHost } from './sandbox-host';
import { postWorkOrderEvent } from './work-order-webhook.client';

export interface DemoSeedResult {
  officeId: string;
  staff: number;
  residents: number;
  /** Events the webhook accepted now (a second seed on the same day finds them duplicates). */
  workOrders: number;
  /** Visits planned from them. */
  visits: number;
  /** Events the webhook had already stored (`duplicate`): today's demo week was seeded before. */
  alreadyStored: number;
  /** The demo construction project, and the repairs reported for it now. */
  project: { projectId: string; repairs: number };
  /** This week's follow-up campaign, the customers imported (or updated) for it, and the calls planned now. */
  campaign: { campaignId: string; customers: number; calls: number };
}

/** True once the demo office exists: the sandbox seeds only on its first start. */
export async function demoOfficeExists(dataSource: DataSource): Promise<boolean> {
  return (await dataSource.getRepository(Office).countBy({ id: DEMO_OFFICE_ID })) > 0;
}

/**
 * Seeds the demo: puts the demo office with its staff, then sends the week of work orders
 * through our own signed webhook (so they are stored, sampled and planned exactly as real
 * ones), then the demo construction project with its open repair (src/sandbox/demo-project.ts),
 * then this week's follow-up campaign of 30 imported customers (src/sandbox/demo-campaign.ts).
 * Idempotent within a day: the events' ids repeat and the webhook answers `duplicate`.
 *
 * @throws Error naming the event when the webhook refuses one (a bug in the demo data).
 */
export async function seedDemo(host: Pick<SandboxHost, 'url' | 'dataSource' | 'webhookSecret' | 'config'>, clock: Clock): Promise<DemoSeedResult> {
  const offices = new OfficeService({ dataSource: host.dataSource, clock, defaultTimeZone: host.config.defaultTimeZone });
  await offices.put(DEMO_OFFICE_ID, DEMO_OFFICE);
  const result: DemoSeedResult = {
    officeId: DEMO_OFFICE_ID,
    staff: DEMO_OFFICE.staff.length,
    residents: DEMO_RESIDENTS.length,
    workOrders: 0,
    visits: 0,
    alreadyStored: 0,
    project: { projectId: '', repairs: 0 },
    campaign: { campaignId: '', customers: 0, calls: 0 },
  };
  for (const event of demoWeek(clock.now(), DEMO_TIME_ZONE)) {
    const answer = await postWorkOrderEvent({ url: host.url, secret: host.webhookSecret, clock }, event);
    if (answer.status === 202) {
      result.workOrders += 1;
      result.visits += ((answer.body as { visits?: unknown[] }).visits ?? []).length;
    } else if (answer.status === 200) {
      result.alreadyStored += 1;
    } else {
      throw new Error(`the demo work order ${event.eventId} was refused: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    }
  }
  result.project = await seedDemoProject(host, clock);
  result.campaign = await seedDemoCampaign(host, clock);
  return result;
}
