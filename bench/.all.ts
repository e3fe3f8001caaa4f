import 'reflect-metadata';
import { performance } from 'node:perf_hooks';
import { Office } from '../entities';
import { openDatabase } from '../src/db/data-source';
import { parseDbUrl } from '../src/db/db-url';
import { QuarterlyStatsService } from '../src/reports/quarterly-stats.service';

async function main() {
  const ds = await openDatabase(parseDbUrl('mysql://root@127.0.0.1:3306/hf_stats_bench')!, { poolSize: 6 });
  const log: string[] = [];
  let t0 = 0;
  ds.setOptions({ maxQueryExecutionTime: 1, logger: { logQuery: () => {}, logQueryError() {}, logQuerySlow(time: number, q: string) { log.push(`${String(time).padStart(5)} ${q.replace(/\s+/g, ' ').slice(0, 110)}`); }, logSchemaBuild() {}, logMigration() {}, log() {} } } as never);
  (ds.driver.options as any).maxQueryExecutionTime = 1;
  const svc = new QuarterlyStatsService({ dataSource: ds, defaultTimeZone: 'Asia/Shanghai' });
  const office = await ds.manager.findOneByOrFail(Office, { id: 'bench-00' });
  const asOf = new Date('2027-01-05T02:00:00Z');
  for (let i = 0; i < 3; i++) {
    t0 = performance.now();
    await svc.compute(office, '2026-Q4', asOf);
    console.log(log.splice(0).join('\n'));
    console.log('run', i, (performance.now() - t0).toFixed(0), 'ms', 'load', require('fs').readFileSync('/proc/loadavg', 'utf8').split(' ')[0]);
  }
  await ds.destroy();
}
main();
