import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src/db/data-source';
import { parseDbUrl } from '../src/db/db-url';
import { Office, VisitStatus } from '../entities';
import { repeatComplaintsOf, repeatRepairsOf } from '../src/reports/repeat-groups';
import { teamCountsOf } from '../src/reports/team-counts';
import { decisionsOf } from '../src/db/sampling-quotas';
import { parseQuarter } from '../src/rules/quarter';
import { QuarterlyStatsService } from '../src/reports/quarterly-stats.service';
(async () => {
  const ds = await openDatabase(parseDbUrl('mysql://root@127.0.0.1:3306/hf_stats_bench')!, { poolSize: 6 });
  const asOf = new Date('2027-01-10T02:00:00Z');
  const office = await ds.manager.findOneByOrFail(Office, { id: 'bench-00' });
  const zone = 'Asia/Shanghai';
  const quarter = parseQuarter('2026-Q4', zone);
  const period = { from: quarter.from, to: quarter.to };
  const scope = { officeId: office.id, quarter: '2026-Q4', asOf, cancelled: VisitStatus.Cancelled };
  const stats = new QuarterlyStatsService({ dataSource: ds, defaultTimeZone: zone });
  const time = async (label: string, f: () => Promise<unknown>) => {
    const t: number[] = []; const cpu0 = process.cpuUsage();
    for (let i = 0; i < 5; i++) { const s = performance.now(); await f(); t.push(performance.now() - s); }
    const cpu = process.cpuUsage(cpu0);
    t.sort((a, b) => a - b); console.log(label.padEnd(18), 'median', t[2].toFixed(0), 'ms', 'node cpu/run', ((cpu.user + cpu.system) / 5000).toFixed(0), 'ms');
  };
  await time('decisions', () => decisionsOf(ds.manager, office.id, '2026-Q4'));
  await time('teams', () => teamCountsOf(ds.manager, scope));
  await time('repeatComplaints', () => repeatComplaintsOf(ds.manager, office, period, zone));
  await time('repeatRepairs', () => repeatRepairsOf(ds.manager, office.id, period));
  await time('whole', () => stats.compute(office, '2026-Q4', asOf));
  await ds.destroy();
})();
