import { once } from 'node:events';
import { createReadStream, createWriteStream, readFileSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import iconv from 'iconv-lite';
import { Connection } from 'mysql2/promise';
import { BENCH_ADMIN_TOKEN, BENCH_OFFICE, BENCH_OFFICE_ID, BENCH_WEBHOOK_SECRET } from './events';
import { ServerChild } from './server-child';

/**
 * The import scenario of `npm run bench` (alone: `npm run bench -- import`): a customer file of
 * BENCH_IMPORT_ROWS rows (100,000) generated in the scratch folder — a GBK CSV as Excel on a
 * Chinese Windows saves it, and an XLSX workbook — posted to `POST /api/offices/:id/customers/import`
 * of the app (a child process, as `npm start` runs it) on a MariaDB database of its own. Each file
 * is imported twice: into an empty archive (every row new), then again (every row an update).
 * One row in 200 has a bad phone and must come back in `rejected`; the database is checked after.
 * Measured: the request's time and the server's peak RSS, against 30 s and 300 MB.
 *
 * Environment: BENCH_IMPORT_ROWS (100000), BENCH_IMPORT_FORMATS (csv,xlsx).
 */

export const IMPORT_TARGETS = { seconds: 30, rssMb: 300 };

export interface ImportBenchSettings {
  mysqlUrl: string;
  rows: number;
  formats: Array<'csv' | 'xlsx'>;
}

export function readImportBenchSettings(env: NodeJS.ProcessEnv, mysqlUrl: string): ImportBenchSettings {
  const rows = Number(env.BENCH_IMPORT_ROWS ?? 100_000);
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`BENCH_IMPORT_ROWS: "${env.BENCH_IMPORT_ROWS}" must be a whole number ≥ 1`);
  const formats = (env.BENCH_IMPORT_FORMATS ?? 'csv,xlsx').split(',').map((f) => f.trim()) as Array<'csv' | 'xlsx'>;
  for (const f of formats) if (f !== 'csv' && f !== 'xlsx') throw new Error(`BENCH_IMPORT_FORMATS: unknown format "${f}" (csv, xlsx)`);
  return { mysqlUrl, rows, formats };
}

const HEADER = ['序号', '客户编号', '姓名', '公司', '电话', '邮箱', '地区', '分类', '询盘日期', '产品', '询盘内容'];
const SURNAMES = '张王李赵刘陈杨黄周吴徐孙马朱胡郭何高林罗';
const REGIONS = ['华东', '华南', '华北', '华中', '西南', '西北', '东北'];
const PRODUCTS = ['挖掘机', '装载机', '叉车', '起重机', '压路机', '推土机'];

/** Row i of the generated sheet; every 200th has a phone that is no phone. */
function sheetRow(i: number): Array<string | number> {
  const bad = i % 200 === 199;
  const phone = bad ? `12${String(i).padStart(9, '0')}` : `+86 13${i % 10}-${String(i).padStart(8, '0').slice(0, 4)}-${String(i).padStart(8, '0').slice(4)}`;
  const day = 1 + (i % 28);
  return [
    i + 1,
    `C-${String(i).padStart(7, '0')}`,
    `${SURNAMES[i % SURNAMES.length]}客户${i}`,
    `${REGIONS[i % REGIONS.length]}第${i % 97}机械有限公司`,
    phone,
    i % 3 === 0 ? `c${i}@example.cn` : '',
    REGIONS[i % REGIONS.length],
    `${'ABC'[i % 3]}类`,
    `2026/${1 + (i % 11)}/${day}`,
    PRODUCTS[i % PRODUCTS.length],
    `询问${PRODUCTS[i % PRODUCTS.length]}的价格和交货期，需要含税报价，第 ${i} 号询盘。`,
  ];
}

const badRows = (rows: number) => Math.floor((rows + 1) / 200);

async function writeCsv(path: string, rows: number): Promise<void> {
  const out = createWriteStream(path);
  const cell = (c: string | number) => (typeof c === 'string' && /[",\r\n]/.test(c) ? `"${c.replaceAll('"', '""')}"` : String(c));
  const line = (cells: Array<string | number>) => iconv.encode(`${cells.map(cell).join(',')}\r\n`, 'gbk');
  out.write(line(HEADER));
  for (let i = 0; i < rows; i++) if (!out.write(line(sheetRow(i)))) await once(out, 'drain');
  out.end();
  await once(out, 'close');
}

async function writeXlsx(path: string, rows: number): Promise<void> {
  const { default: Excel } = await import('exceljs');
  const workbook = new Excel.stream.xlsx.WorkbookWriter({ filename: path, useSharedStrings: true });
  const sheet = workbook.addWorksheet('询盘统计表');
  sheet.addRow(HEADER).commit();
  for (let i = 0; i < rows; i++) sheet.addRow(sheetRow(i)).commit();
  sheet.commit();
  await workbook.commit();
}

/** Samples a process's VmRSS every 50 ms; `stop()` answers the peak in MB. */
function sampleRss(pid: number): { stop(): number } {
  let peakKb = 0;
  const tick = () => {
    try {
      const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) peakKb = Math.max(peakKb, Number(m[1]));
    } catch {
      /* gone */
    }
  };
  tick();
  const timer = setInterval(tick, 50);
  return {
    stop() {
      clearInterval(timer);
      tick();
      return peakKb / 1024;
    },
  };
}

/** Streams a file from disk as the request's body. */
function postFile(server: ServerChild, path: string, type: string): Promise<{ status: number; body: string }> {
  const url = new URL(`${server.url}/api/offices/${BENCH_OFFICE_ID}/customers/import`);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, method: 'POST', headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': type, 'content-length': statSync(path).size } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    createReadStream(path).pipe(req);
  });
}

interface ImportMeasurement {
  label: string;
  seconds: number;
  peakRssMb: number;
  check: string;
  ok: boolean;
}

/** Runs the scenario once and prints its figures; `cleanup` gathers what an interrupt must undo. */
export async function runImportBench(
  settings: ImportBenchSettings,
  admin: Connection,
  tag: string,
  scratch: string,
  cleanup: Array<() => Promise<unknown>>,
): Promise<{ pass: boolean; results: ImportMeasurement[] }> {
  const results: ImportMeasurement[] = [];
  for (const format of settings.formats) {
    const file = join(scratch, `customers.${format}`);
    let started = performance.now();
    if (format === 'csv') await writeCsv(file, settings.rows);
    else await writeXlsx(file, settings.rows);
    const size = statSync(file).size;
    process.stdout.write(`  ${format}: ${settings.rows} rows, ${(size / 2 ** 20).toFixed(1)} MiB, generated in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);

    const database = `hf_bench_${tag}_import_${format}`;
    await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
    cleanup.push(() => admin.query(`DROP DATABASE IF EXISTS \`${database}\``));
    const server = await ServerChild.start('app-server', {
      BENCH_DB_URL: `${settings.mysqlUrl}/${database}`,
      BENCH_SECRET: BENCH_WEBHOOK_SECRET,
      BENCH_ADMIN_TOKEN,
      LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    });
    cleanup.push(() => server.kill());
    try {
      const office = await fetch(`${server.url}/api/offices/${BENCH_OFFICE_ID}`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${BENCH_ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(BENCH_OFFICE),
      });
      if (office.status >= 300) throw new Error(`PUT office answered ${office.status}`);
      const expected = { rows: settings.rows - badRows(settings.rows), rejected: badRows(settings.rows) };
      for (const pass of ['new', 'update'] as const) {
        const rss = sampleRss(server.pid);
        started = performance.now();
        const res = await postFile(server, file, format === 'csv' ? 'text/csv' : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        const seconds = (performance.now() - started) / 1000;
        const peakRssMb = rss.stop();
        const body = res.status === 200 ? (JSON.parse(res.body) as { imported: number; updated: number; rejected: unknown[] }) : null;
        const [[count]] = (await admin.query(`SELECT COUNT(*) AS n FROM \`${database}\`.customers`)) as unknown as [[{ n: number }]];
        const want = pass === 'new' ? { imported: expected.rows, updated: 0 } : { imported: 0, updated: expected.rows };
        const ok =
          body !== null && body.imported === want.imported && body.updated === want.updated && body.rejected.length === expected.rejected && Number(count.n) === expected.rows;
        const check = ok
          ? `check ok: ${body!.imported} imported, ${body!.updated} updated, ${body!.rejected.length} rejected as planned, ${count.n} stored`
          : `CHECK FAILED: ${res.status} ${body ? `imported ${body.imported}, updated ${body.updated}, rejected ${body.rejected.length}` : res.body.slice(0, 300)}; ${count.n} stored, ${expected.rows} expected`;
        const label = `${format} (${format === 'csv' ? 'GBK' : 'shared strings'}), ${pass === 'new' ? 'into an empty archive' : 'again: every row an update'}`;
        results.push({ label, seconds, peakRssMb, check, ok });
        process.stdout.write(`  ${label}: ${seconds.toFixed(1)} s, server peak RSS ${peakRssMb.toFixed(0)} MB — ${check}\n`);
      }
    } finally {
      await server.stop();
    }
  }
  let pass = true;
  process.stdout.write(`\ncustomer import, ${settings.rows} rows, MariaDB (targets: < ${IMPORT_TARGETS.seconds} s, peak RSS < ${IMPORT_TARGETS.rssMb} MB)\n`);
  for (const r of results) {
    const okTime = r.seconds < IMPORT_TARGETS.seconds;
    const okRss = r.peakRssMb < IMPORT_TARGETS.rssMb;
    pass &&= okTime && okRss && r.ok;
    process.stdout.write(
      `  ${r.label}: ${r.seconds.toFixed(1)} s ${okTime ? 'ok' : 'MISSED'}, ${r.peakRssMb.toFixed(0)} MB ${okRss ? 'ok' : 'MISSED'}${r.ok ? '' : ', CHECK FAILED'}\n`,
    );
  }
  process.stdout.write(`customer import: ${pass ? 'PASS' : 'FAIL'}\n`);
  return { pass, results };
}
