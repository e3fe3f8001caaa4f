import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedDemoCampaign } from '../../src/sandbox/demo-campaign';
import { ManualClock } from '../support/manual-clock';
import { SandboxApp, startSandboxApp } from './sandbox-app';

/*
 * The demo's follow-up campaign, set up through POST /api/campaigns: over this week's working
 * days from today, next week's once this week's callable hours are over (the demo office works
 * every day, 08:00–21:00), and once a week.
 */
let app: SandboxApp;
// Sunday 2026-11-29 21:30 in Shanghai: this week's last callable hour is over.
beforeAll(async () => (app = await startSandboxApp({ clock: new ManualClock('2026-11-29T13:30:00Z') })));
afterAll(async () => app?.close());

const seed = () => seedDemoCampaign({ url: app.server.url, config: app.server.config, dataSource: app.db }, app.clock);
const campaign = async (id: string) => (await app.call('GET', `/api/campaigns/${id}`)).body;

describe('the demo campaign', () => {
  it("is next week's when this week's working days are over", async () => {
    const seeded = app.attached.seeded!.campaign;
    expect(seeded).toMatchObject({ customers: 30, calls: 30 });
    expect(await campaign(seeded.campaignId)).toMatchObject({ name: '询盘客户回访 2026-W49', startsOn: '2026-11-30', endsOn: '2026-12-06', visits: { total: 30 } });
  });

  it('is set up once a week: seeding again in that week only imports the sheet again', async () => {
    const first = app.attached.seeded!.campaign.campaignId;
    app.clock.set('2026-12-02T02:00:00Z');
    expect(await seed()).toEqual({ campaignId: first, customers: 30, calls: 0 });
    app.clock.set('2026-12-07T02:00:00Z');
    const next = await seed();
    expect(next).toMatchObject({ customers: 30, calls: 30 });
    expect(next.campaignId).not.toBe(first);
    expect(await campaign(next.campaignId)).toMatchObject({ name: '询盘客户回访 2026-W50', startsOn: '2026-12-07', endsOn: '2026-12-13' });
  });
});
