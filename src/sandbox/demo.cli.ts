import { systemClock } from '../clock';
import { bootConfig } from '../config/boot-config';
import { log } from '../log';
import { startServer } from '../server';
import { seedDemo } from './demo-seed';
import { startSandbox } from './sandbox.module';

/**
 * `npm run demo`: seeds the configured database with the demo office, its staff and a week of
 * work orders, then exits. Only in sandbox mode (no WeCom/DingTalk credentials): demo
 * residents have no place in a real company's database. The app runs on a free port for the
 * seconds it takes, so the work orders go through the real signed webhook; no job runs, so
 * nothing is sent — the next `npm start` sends what is due.
 */
async function main(): Promise<void> {
  const config = bootConfig();
  if (!config.sandbox) {
    process.stderr.write('npm run demo seeds only in sandbox mode (no WeCom/DingTalk credentials configured)\n');
    process.exit(2);
  }
  const sandbox = await startSandbox({ log });
  const running = await startServer({ ...config, port: 0 }, {
    channels: sandbox.channels,
    wecomCallback: sandbox.wecomCallback,
    schedules: false,
  });
  try {
    const seeded = await seedDemo(running, systemClock);
    process.stdout.write(
      `Demo seeded on ${config.db.label}: office ${seeded.officeId} with ${seeded.staff} staff and ${seeded.residents} residents, ` +
        `${seeded.workOrders} new work orders, ${seeded.visits} visits planned, ` +
        `${seeded.campaign.customers} customers imported and ${seeded.campaign.calls} campaign calls planned. Run npm start and open ${config.publicBaseUrl}/sandbox\n`,
    );
    if (seeded.workOrders === 0 && seeded.alreadyStored > 0) {
      // Say why nothing was added: the week's event ids are the day's, so a second run finds them stored.
      process.stdout.write(
        `Nothing new: this database already holds today's demo week (${seeded.alreadyStored} work orders sent by an earlier npm run demo or npm start). ` +
          `The demo adds a new week once a day; for a fresh one now, point DB_URL at an empty database.\n`,
      );
    }
  } finally {
    await running.close();
    await sandbox.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`demo failed: ${(err as Error)?.message ?? String(err)}\n`);
  process.exit(1);
});
