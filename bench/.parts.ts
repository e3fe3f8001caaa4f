import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Office, VisitStatus } from '../entities';
import { openDatabase } from '../src/db/data-source';
import { parseDbUrl } from '../src/db/db-url';
import { QuarterlyStatsService } from '../src/reports/quarterly-stats.service';
import { parseQuarter } from '../src/rules/quarter';

async function main() {
  const ds = await openDatabase(parseDbUrl('mysql://root@127.0.0.1:3306/hf_stats_bench')!, { poolSize: 6 });
  const svc = new QuarterlyStatsService({ dataSource: ds, defaultTimeZone: 'Asia/Shanghai' }) as any;
  const office = await ds.manager.findOneByOrFail(Office, { id: 'bench-00' });
  const q = parseQuarter('2026-Q4', 'Asia/Shanghai');
  const asOf = new Date('2027-01-05T02:00:00Z');
  const scope = { officeId: office.id, quarter: q.label, asOf, cancelled: VisitStatus.Cancelled };
  const period = { from: q.from, to: q.to };
  const parts: Record<string, () => Promise<unknown>> = {
    orders: () => svc.orders(ds.manager, scope),
    teams: () => svc.teams(ds.manager, scope),
    unqualified: () => svc.unqualified(ds.manager, scope),
    complaints: () => svc.repeatComplaints(ds.manager, office, period, 'Asia/Shanghai'),
    repairs: () => svc.repeatRepairs(ds.manager, office.id, period),
    all: () => svc.compute(office, '2026-Q4', asOf),
  };
  const times: Record<string, number[]> = {};
  for (let i = 0; i < Number(process.env.N ?? 5); i++) {
    for (const [name, run] of Object.entries(parts)) {
      const t = performance.now();
      await run();
      (times[name] ??= []).push(performance.now() - t);
    }
  }
  for (const [name, list] of Object.entries(times)) {
    list.sort((a, b) => a - b);
    console.log(name.padEnd(12), 'median', list[Math.floor(list.length / 2)].toFixed(0), 'min', list[0].toFixed(0), 'max', list[list.length - 1].toFixed(0));
  }
  await ds.destroy();
}
main();
