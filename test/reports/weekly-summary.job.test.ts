import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataSource } from 'typeorm';
import { OutboundMessage } from '../../entities';
import { WecomChannel } from '../../src/channels/wecom/wecom.channel';
import { ManualClock } from '../support/manual-clock';
import { Job, JobName } from '../../src/jobs/job';
import { log } from '../../src/log';
import { reportsModule } from '../../src/reports/reports.module';
import { Notifier } from '../../src/visits/notifier';
import { FakeWecom, startFakeWecom } from '../fakes/fake-wecom';
import { OFFICE_1, startTestApp, TestApp } from '../support/app';
import { emptyAllTables, openTestDatabase } from '../support/database';
import { seedWeek } from './week-fixture';

/** Monday 30 November 2026, 08:59 in Shanghai: a minute before the summary of 2026-W48 is due. */
const BEFORE_NINE = '2026-11-30T00:59:00Z';
const NINE = '2026-11-30T01:00:00Z';

describe('the weekly-summary job', () => {
  let app: TestApp;
  let fake: FakeWecom;
  let clock: ManualClock;
  let db: DataSource;
  let job: Job;

  beforeAll(async () => {
    clock = new ManualClock(BEFORE_NINE);
    fake = await startFakeWecom({ clock });
    db = await openTestDatabase();
    app = await startTestApp({
      now: BEFORE_NINE,
      db,
      env: { SUMMARY_ROBOT_WEBHOOK: fake.robotUrl },
      overrides: { clock, channels: [new WecomChannel(fake.config(), { clock })] },
    });
    const module = reportsModule({
      dataSource: db,
      clock,
      notifier: new Notifier({ defaultChannel: 'wecom', defaultTimeZone: 'Asia/Shanghai' }),
      defaultTimeZone: 'Asia/Shanghai',
      publicBaseUrl: app.server.config.publicBaseUrl,
      summaryRobot: app.server.config.summaryRobot,
    });
    job = module.jobs.find((j) => j.name === JobName.WeeklySummary)!;
  });
  afterAll(async () => {
    await app.close();
    await fake.close();
  });
  beforeEach(async () => {
    clock.set(BEFORE_NINE);
    await emptyAllTables(db);
    expect((await app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
    fake.reset();
    for (const s of OFFICE_1.staff) fake.users.add(s.wecomUserId);
    await seedWeek(db);
  });
  afterEach(() => {
    expect(fake.unexpected).toEqual([]);
  });

  const run = () => job.run({ now: clock.now(), log, runId: 'test' });
  /** Sends what is queued: messages queued at 09:00 sharp leave 1–4 minutes later (off the :00 mark). */
  const deliver = async () => {
    clock.advance(5 * 60_000);
    await app.server.dispatcher.drain();
  };
  const queued = () => db.getRepository(OutboundMessage).find({ where: { purpose: 'weekly_summary' }, order: { id: 'ASC' } });

  it("brings last week's figures to the supervisor in WeCom on Monday from 09:00", async () => {
    expect(await run()).toMatchObject({ not_yet: 1, queued: 0 });
    expect(await queued()).toEqual([]);

    clock.set(NINE);
    expect(await run()).toMatchObject({ queued: 1 });
    await deliver();

    const received = fake.delivered('lizhuguan');
    expect(received).toHaveLength(1);
    expect(received[0].msgtype).toBe('markdown');
    const text = String(received[0].content.content);
    expect(text).toContain('回访周报 2026-W48');
    expect(text).toContain('11月23日—11月29日');
    expect(text).toContain('应回访 4 · 完成 3 · 按时 2');
    expect(text).toMatch(/逾期 <font color="warning">3<\/font> · 不合格 <font color="warning">1<\/font>/);
    expect(text).toContain('满意度均分 3.67');
    expect(text).toContain('电梯异响 · B3-1202');
    expect(text).toContain('水管漏水 · A1-101');
    expect(text).toContain('搬运求助 · A5-505');
    expect(text).toContain('赵专员：应访 2 · 完成 2 · 按时 2 · 逾期 <font color="warning">1</font> · 满意度 3.5');
    expect(text).toContain('回访率 66.7%（2/3），目标 80%');
    // Nobody else gets the supervisor's summary.
    for (const other of ['wangjingli', 'zhaozhuanyuan', 'qianzhuanyuan', 'sungong']) expect(fake.delivered(other)).toEqual([]);
  });

  it('posts the summary to the configured group robot too', async () => {
    clock.set(NINE);
    await run();
    await deliver();
    const robot = fake.robotMessages();
    expect(robot).toHaveLength(1);
    expect(robot[0].body).toMatchObject({ msgtype: 'markdown' });
    expect(JSON.stringify(robot[0].body)).toContain('回访周报 2026-W48');
    expect((await queued()).map((m) => [m.dedupeKey, m.channel, m.status])).toEqual([
      ['weekly:office-1:2026-W48:sup1', 'wecom', 'sent'],
      ['weekly-robot:office-1:2026-W48', 'robot', 'sent'],
    ]);
  });

  it('queues each summary once however often it runs', async () => {
    clock.set(NINE);
    await run();
    clock.set('2026-11-30T01:30:00Z');
    expect(await run()).toMatchObject({ already_queued: 1, queued: 0 });
    clock.set('2026-12-02T01:30:00Z'); // Wednesday: still W48's summary, still queued
    expect(await run()).toMatchObject({ already_queued: 1 });
    await deliver();
    expect(fake.delivered('lizhuguan')).toHaveLength(1);
    expect(fake.robotMessages()).toHaveLength(1);
    expect(await queued()).toHaveLength(2);
  });

  it('reaches a supervisor added after the first run, and nobody twice', async () => {
    clock.set(NINE);
    await run();
    const staff = [...OFFICE_1.staff, { id: 'sup2', name: '周主管', roles: ['supervisor'], wecomUserId: 'zhouzhuguan' }];
    fake.users.add('zhouzhuguan');
    await app.api('PUT', '/api/offices/office-1', { ...OFFICE_1, staff });
    expect(await run()).toMatchObject({ queued: 1 });
    await deliver();
    expect(fake.delivered('lizhuguan')).toHaveLength(1);
    expect(fake.delivered('zhouzhuguan')).toHaveLength(1);
    expect(fake.robotMessages()).toHaveLength(1);
  });
});
