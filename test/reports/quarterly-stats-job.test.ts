import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboundMessage } from '../../entities';
import { OFFICE_1, startTestApp, TestApp, workOrderEvent } from '../support/app';

describe('the quarterly-stats job', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await startTestApp({ now: '2026-09-10T02:10:05Z' });
    await app.api('PUT', '/api/offices/office-1', OFFICE_1);
    await app.sendEvent(workOrderEvent('completed', { id: 'WO-H', kind: 'help', severity: null, department: null, completedAt: '2026-09-10T02:10:00Z' }));
  });
  afterAll(async () => app.close());

  const run = async () => (await app.api('POST', '/api/jobs/quarterly-stats/run')).body.result;
  const notices = () => app.db.getRepository(OutboundMessage).find({ where: { purpose: 'supervisor_notice' } });

  it('tells the supervisor once, from 09:00 on the first day of the next quarter, with the figures', async () => {
    app.clock.set('2026-10-01T00:30:00Z'); // 08:30 on 1 October in Shanghai
    expect(await run()).toEqual({ announced: 0 });
    app.clock.set('2026-10-01T01:10:00Z'); // 09:10
    expect(await run()).toEqual({ announced: 1 });
    expect(await run()).toEqual({ announced: 0 });
    const [notice] = await notices();
    expect(notice.recipientId).toBe('sup1');
    const text = JSON.stringify(notice.payload);
    expect(text).toContain('2026-Q3 走访回访统计表已生成');
    expect(text).toContain('求助：应回访 1，按时 0');
  });
});
