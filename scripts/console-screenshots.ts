/**
 * `npm run screenshots`: the README's pictures of the console, taken from the sandbox as
 * `npm start` runs it. Starts the app in sandbox mode on a throw-away SQLite file with the demo
 * office seeded (the clock stands at the tests' Thursday, 26 November 2026, 15:10 in Shanghai,
 * so the pictures do not change from one run to the next), signs in as the supervisor 李主管
 * in Debian's chromium and saves PNGs into docs/: the glance, the visits list (complaints) and one
 * overdue visit at 1024 px, and the glance at phone width. The pictures need a CJK font in the
 * browser's fontconfig (Debian: fonts-noto-cjk or fonts-wqy-microhei; or FONTCONFIG_FILE naming
 * a configuration that adds one), else the Chinese shows as boxes. Not part of the tests; run it by hand when
 * the console's look changes, and commit the pictures (each well under 200 KB).
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, Page } from 'playwright-core';
import { Clock } from '../src/clock';
import { loadConfig } from '../src/config/config';
import { startSandbox } from '../src/sandbox/sandbox.module';
import { startServer } from '../src/server';

const AT = new Date('2026-11-26T07:10:00Z');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const OUT = join(__dirname, '..', 'docs');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'huifang-shots-'));
  const clock: Clock = { now: () => new Date(AT) };
  const sandbox = await startSandbox({ clock });
  const server = await startServer(
    { ...loadConfig({ DB_URL: `sqlite:${join(dir, 'shots.sqlite')}` }), port: 0 },
    { clock, schedules: false, channels: sandbox.channels, wecomCallback: sandbox.wecomCallback, routers: sandbox.routers },
  );
  await sandbox.attach(server, { seed: 'first-start' });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const context = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
    const page = await context.newPage();
    const base = server.url;
    await page.goto(`${base}/console/sign-in`);
    await Promise.all([page.waitForURL(`${base}/console`), page.getByRole('button', { name: /^李主管（/ }).click()]);
    await shoot(page, 'console-glance.png');

    // The week's complaints (unfiltered, the list opens on the demo project's warranty and campaign visits).
    await page.goto(`${base}/console/visits?kind=complaint`);
    await shoot(page, 'console-visits.png');

    await page.goto(`${base}/console/visits?status=overdue`);
    await Promise.all([page.waitForURL(/\/console\/visits\/\d+$/), page.locator('[data-section="visits"] tr[data-visit] a').first().click()]);
    await shoot(page, 'console-visit.png');

    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${base}/console`);
    await shoot(page, 'console-phone.png');
  } finally {
    await browser.close();
    sandbox.detach();
    await server.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The visible screen (not the whole page), which keeps each picture small. */
async function shoot(page: Page, name: string): Promise<void> {
  // Whatever the page's own script draws (charts) is drawn once nothing is loading any more.
  await page.waitForLoadState('networkidle');
  const path = join(OUT, name);
  await page.screenshot({ path });
  process.stdout.write(`${path} ${Math.round(statSync(path).size / 1024)} KB\n`);
}

main().catch((err) => {
  process.stderr.write(`screenshots failed: ${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
