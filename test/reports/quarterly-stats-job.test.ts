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

  it('compiles nothing again once the notice of an office-quarter is queued: the hourly reruns only look it up', async () => {
    // What the job asks the database, seen through TypeORM's logger (every statement passes it).
    const statements: string[] = [];
    app.db.setOptions({ logger: { logQuery: (sql: string) => void statements.push(sql), logQueryError() {}, logQuerySlow() {}, logSchemaBuild() {}, logMigration() {}, log() {} } });
    const readsFigures = () => statements.filter((sql) => /\b(visits|work_orders)\b/.test(sql));

    app.clock.set('2027-01-01T01:10:00Z'); // 09:10 on 1 January: 2026-Q4 is due
    expect(await run()).toEqual({ announced: 1 });
    expect(readsFigures().length).toBeGreaterThan(0);

    statements.length = 0;
    app.clock.set('2027-01-01T02:10:00Z'); // the next hourly run
    expect(await run()).toEqual({ announced: 0 });
    expect(statements.some((sql) => /outbound_messages/.test(sql))).toBe(true);
    expect(readsFigures()).toEqual([]);
    expect((await notices()).filter((n) => n.dedupeKey.startsWith('quarterly-stats:office-1:2026-Q4:'))).toHaveLength(1);
  });
});
