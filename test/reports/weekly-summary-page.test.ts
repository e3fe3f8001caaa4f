import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';

describe('the weekly summary page behind the card’s link', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Thursday 26 November 2026 (week 48) in Shanghai.
    app = await startTestApp({ now: '2026-11-26T02:10:05Z' });
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    await app.sendEvent(workOrderEvent('completed', { completedAt: '2026-11-26T02:10:00Z' }));
    // Monday 30 November, 09:10: the summary of week 48 goes out.
    app.clock.set('2026-11-30T01:10:00Z');
    await app.api('POST', '/api/jobs/overdue/run');
    expect((await app.api('POST', '/api/jobs/weekly-summary/run')).status).toBe(200);
  });
  afterAll(async () => app.close());

  it('opens without the admin token and shows the week’s figures; a forged link does not', async () => {
    const [row] = await app.db.getRepository(OutboundMessage).find({ where: { purpose: 'weekly_summary', recipientId: 'sup1' } });
    const link = /https?:\/\/[^\s)"\\]+\/r\/weekly\/[A-Za-z0-9_.-]+/.exec(JSON.stringify(row.payload))?.[0];
    expect(link).toBeDefined();
    const path = new URL(link!).pathname;
    const page = await fetch(`${app.server.url}${path}`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('回访周报 2026-W48');
    expect(html).toContain('一号物业服务中心');
    expect(html).toMatch(/<b>1<\/b>逾期/);
    const forged = await fetch(`${app.server.url}${path.slice(0, -3)}abc`);
    expect(forged.status).toBe(404);
    expect(await forged.text()).not.toContain('回访周报');
  });
});
