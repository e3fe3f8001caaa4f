import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Visit, VisitAssignee } from '../../entities';
import { ConsoleSandbox, listedVisits, office1Visits, signIn, startConsoleSandbox } from './console-browser';

/**
 * The console issue's acceptance walk, in Chromium on the sandbox: "A supervisor in the sandbox
 * signs in, sees the quarter on target or not, opens an overdue visit, assigns it, and reviews
 * a recorded one." Every step goes through the pages as the supervisor would click them; the
 * database and the quarterly statistics say whether it worked.
 */
describe('the supervisor’s walk through the console', () => {
  let sandbox: ConsoleSandbox;
  let base: string;
  let recorded: number;
  beforeAll(async () => {
    sandbox = await startConsoleSandbox();
    base = sandbox.app.server.url;
    // One of the week's complaints recorded by its specialist, so a record waits for review.
    const open = (await office1Visits(sandbox.app)).find((v) => v.kind === 'complaint' && v.status === 'due' && v.visitors.length > 0)!;
    expect(open, 'a due complaint in the demo week').toBeDefined();
    const answers = { quality: 5, effect: 5, satisfaction: 5, shortcomings: ['none'], solved: true };
    const res = await sandbox.app.call('POST', `/api/visits/${open.id}/record`, { staffId: open.visitors[0], method: 'phone', answers });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    recorded = open.id;
  });
  afterAll(async () => sandbox?.close());

  it('signs in, sees each kind on target or not, assigns an overdue visit and reviews a recorded one', async () => {
    const page = await sandbox.newPage();

    // 1. Signs in with one tap as 李主管.
    await signIn(page, base, '李主管');
    expect(await page.locator('h1').first().textContent()).toBe('一号物业服务中心 · 2026-Q4');

    // 2. The quarter: each kind's rate against its target, as the quarterly statistics count them.
    const stats = await sandbox.app.call('GET', '/api/stats/quarterly?officeId=office-1&quarter=2026-Q4');
    expect(stats.status).toBe(200);
    const kinds = stats.body.kinds as { kind: string; rate: number | null; target: number }[];
    const shown = await page.locator('[data-section="rates"] tr[data-kind]').evaluateAll((rows) =>
      rows.map((row) => {
        const meter = row.querySelector('meter') as HTMLMeterElement;
        return { kind: row.getAttribute('data-kind')!, rate: row.querySelector('[data-rate]')!.textContent, onTarget: meter.value >= meter.low };
      }),
    );
    const percent = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10}%`);
    expect(shown).toEqual(kinds.map((k) => ({ kind: k.kind, rate: percent(k.rate), onTarget: (k.rate ?? 0) >= k.target })));
    // The demo week's complaints are overdue: the page says that quarter is not on target for them.
    expect(shown.find((k) => k.kind === 'complaint')?.onTarget).toBe(false);

    // 3. Opens an overdue visit: the glance counts them, the visits list filters them.
    const overdueOnGlance = (await page.locator('[data-section="overdue"] tr[data-visit]').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-visit'))))).sort((a, b) => b - a);
    expect(overdueOnGlance.length).toBeGreaterThan(0);
    await Promise.all([page.waitForURL(`${base}/console/visits`), page.getByRole('link', { name: '回访', exact: true }).click()]);
    await page.getByLabel('状态').selectOption('overdue');
    await Promise.all([page.waitForURL(/status=overdue/), page.getByRole('button', { name: '筛选' }).click()]);
    expect(await listedVisits(page)).toEqual(overdueOnGlance);
    const overdue = overdueOnGlance[0];
    await Promise.all([page.waitForURL(`${base}/console/visits/${overdue}`), page.locator(`tr[data-visit="${overdue}"] a`).click()]);
    expect(await page.locator('[data-section="visit"] [data-status]').getAttribute('data-status')).toBe('overdue');

    // 4. Assigns it to someone else: 钱专员 alone, in place of whoever had it.
    const historyBefore = await page.locator('[data-section="history"] li').count();
    const assign = page.locator('[data-section="assign"]');
    for (const box of await assign.locator('input[type=checkbox]').all()) await box.uncheck();
    await assign.getByLabel('钱专员').check();
    await Promise.all([page.waitForURL(`${base}/console/visits/${overdue}`), assign.getByRole('button', { name: '保存回访人' }).click()]);
    expect(await page.locator('[data-visitors]').textContent()).toBe('钱专员');
    expect(await page.locator('[data-section="history"] li').count()).toBe(historyBefore + 1);
    expect((await sandbox.app.db.getRepository(VisitAssignee).find({ where: { visitId: overdue } })).map((a) => a.staffId)).toEqual(['sp2']);

    // 5. Reviews the recorded one: listed as waiting on the glance, passed with an opinion.
    await Promise.all([page.waitForURL(`${base}/console`), page.getByRole('link', { name: '概览' }).click()]);
    expect(await page.locator(`[data-section="to-review"] tr[data-visit="${recorded}"]`).count()).toBe(1);
    await page.goto(`${base}/console/visits/${recorded}`);
    const review = page.locator('[data-section="review"]');
    await review.getByLabel('合格', { exact: true }).check();
    await review.getByLabel('审核意见').fill('记录完整，住户满意');
    await Promise.all([page.waitForURL(`${base}/console/visits/${recorded}`), review.getByRole('button', { name: '提交审核' }).click()]);
    expect(await page.locator('[data-section="review"]').count()).toBe(0);
    const after = await sandbox.app.db.getRepository(Visit).findOneByOrFail({ id: recorded });
    expect(after.status).toBe('reviewed');
    expect(await page.locator('[data-section="visit"] [data-status]').getAttribute('data-status')).toBe('reviewed');
    await page.goto(`${base}/console`);
    expect(await page.locator(`[data-section="to-review"] tr[data-visit="${recorded}"]`).count()).toBe(0);
    await page.context().close();
  });
});
