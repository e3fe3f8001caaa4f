import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { Campaign, Customer, Visit } from '../../entities';
import { OFFICE_1, TestApp } from '../support/app';
import { emptyAllTables } from '../support/database';
import { startWecomLoop, WecomLoop } from '../support/wecom-loop';
import { csvText, upload } from '../customers/support';

/** Imports `count` customers of `category` into office-1's archive (phones 13900000000 + n). */
export async function importCustomers(app: TestApp, count: number, category = 'A类', firstPhone = 0): Promise<number[]> {
  const rows = Array.from({ length: count }, (_, i) => [`客户${firstPhone + i}`, `公司${i}`, String(13900000000 + firstPhone + i), '华东', category, '挖掘机', '要报价']);
  const res = await upload(app, csvText([['姓名', '公司', '电话', '地区', '分类', '产品', '询盘内容'], ...rows]));
  if (res.status !== 200 || res.body.rejected.length > 0) throw new Error(`import failed: ${JSON.stringify(res.body)}`);
  const customers = await app.db.getRepository(Customer).find({ where: { category }, order: { id: 'ASC' } });
  return customers.map((c) => c.id);
}

/** A campaign body as docs/api.md shows it; `patch` overrides fields. */
export function campaignBody(patch: Record<string, unknown> = {}) {
  return {
    officeId: 'office-1',
    name: '十二月老客户回访',
    purposes: ['relation', 'inquiry'],
    questions: [
      { key: 'satisfaction', text: '您对我们的服务满意吗？', type: 'rating' },
      { key: 'channel', text: '您从哪里知道我们？', type: 'choice', options: ['展会', '网站', '朋友介绍'] },
      { key: 'remark', text: '还有什么想说的？', type: 'text' },
    ],
    from: '2026-12-03',
    to: '2026-12-09',
    customers: { category: 'A类' },
    staff: ['sp1', 'sp2'],
    ...patch,
  };
}

/** The campaign's visits in id order. */
export function visitsOf(app: TestApp, campaignId: string): Promise<Visit[]> {
  return app.db.getRepository(Visit).find({ where: { campaignId }, order: { id: 'ASC' } });
}

/** How many campaigns and campaign visits are stored. */
export async function stored(app: TestApp): Promise<{ campaigns: number; visits: number }> {
  return { campaigns: await app.db.getRepository(Campaign).count(), visits: await app.db.getRepository(Visit).countBy({ kind: 'campaign' }) };
}

/**
 * One app on a fake WeCom for the file (`started` receives it), from `now`; before each test every
 * table emptied and office-1 set up, the clock a minute later than the last test's, since WeCom
 * never takes a task id twice. `setUp` adds to each test's start.
 */
export function useCampaignLoop(now: string, started: (loop: WecomLoop) => void, setUp: (loop: WecomLoop) => Promise<void> = async () => {}): void {
  let loop: WecomLoop | undefined;
  let tests = 0;
  beforeAll(async () => {
    loop = await startWecomLoop(now);
    started(loop);
  });
  afterAll(async () => loop?.close());
  beforeEach(async () => {
    await emptyAllTables(loop!.app.db);
    loop!.fake.reset();
    loop!.clock.set(new Date(Date.parse(now) + ++tests * 60_000).toISOString());
    expect((await loop!.app.api('PUT', '/api/offices/office-1', OFFICE_1)).status).toBe(201);
    await setUp(loop!);
  });
}
