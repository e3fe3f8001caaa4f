import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, extname, join } from 'node:path';
import { pipeline } from 'node:stream';
import { Worker } from 'node:worker_threads';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DomainError } from '../errors';
import { Cell } from './customer-row';
import { TextEncodingName } from './text-encoding';
import type { XlsxWorkerInput, XlsxWorkerMessage } from './xlsx-rows.worker';

/** One row of a sheet: its line (as a spreadsheet numbers rows, the first is 1) and its cells. */
export interface SheetRow {
  line: number;
  cells: Cell[];
}

/**
 * The rows of a CSV file, decoded with `encoding` (a byte-order mark dropped) and parsed by
 * csv-parse as they stream from disk. A row's line is the line it starts on. The delimiter is
 * the header line's: a comma, or a tab (Excel's "Unicode text") or semicolon when the header
 * has more of those. A quote never closed, or (in GB18030) a byte sequence that decodes to no
 * character, refuses the whole file naming the line.
 */
export async function* csvRows(path: string, encoding: TextEncodingName): AsyncGenerator<SheetRow> {
  const delimiter = await delimiterOf(path, encoding);
  const input = createReadStream(path, { highWaterMark: 256 * 1024 });
  const parser = parse({ delimiter, relax_column_count: true, relax_quotes: true, info: true, skip_empty_lines: false });
  pipeline(input, iconv.decodeStream(encoding), parser, () => undefined);
  let lastLine = 0;
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const line = lastLine + 1;
      lastLine = info.lines;
      if (encoding === 'gb18030' && record.some((cell) => cell.includes('\uFFFD'))) {
        throw new DomainError('undecodable', `line ${line} is neither UTF-8 nor GB18030 (GBK) text: save the file as "CSV UTF-8"`, 400, { line });
      }
      yield { line, cells: record };
    }
  } catch (err) {
    if (err instanceof CsvError) {
      const line = lastLine + 1;
      const message =
        err.code === 'CSV_QUOTE_NOT_CLOSED' ? `a quoted cell that starts on line ${line} is never closed` : `the CSV cannot be read from line ${line} on`;
      throw new DomainError('invalid_csv', message, 400, { line });
    }
    throw err;
  } finally {
    input.destroy();
  }
}

/** The header line's delimiter: the most frequent of comma, tab and semicolon (comma on a tie). */
async function delimiterOf(path: string, encoding: TextEncodingName): Promise<string> {
  const file = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(64 * 1024), 0, 64 * 1024, 0);
    const text = iconv.decode(buffer.subarray(0, bytesRead), encoding);
    const header = text.split('\n', 1)[0] ?? '';
    const count = (d: string) => header.split(d).length - 1;
    let best = ',';
    for (const d of ['\t', ';']) if (count(d) > count(best)) best = d;
    return best;
  } finally {
    await file.close();
  }
}

/** Rows per batch the reading thread posts. */
const XLSX_BATCH_ROWS = 500;

/**
 * The reading thread's heap, capped: exceljs' reader allocates its XML events, rows and cells
 * faster than V8 collects them, and an uncapped heap grew to 400 MB for a 100,000-row sheet
 * (docs/benchmarks.md, "Customer import"). The shared strings live outside this heap. A young
 * generation of 8 MB instead of 16 took 10–40 MB off the server's peak in the bench at the same
 * import time (4 MB: no less memory, a third slower).
 */
const XLSX_READER_LIMITS = { maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 };

/**
 * The rows of an XLSX workbook's first sheet, read with exceljs' streaming reader in a worker
 * thread (src/customers/xlsx-rows.worker.ts) with a capped heap, as batches arrive. Reading runs
 * beside the import's checks and writes (the second core), a batch or two ahead of them.
 * Anything the reader cannot read (a ZIP that is not a workbook, a damaged file) refuses the
 * whole file; so does a workbook whose rows do not fit the capped heap.
 */
export async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  const worker = startXlsxWorker(path);
  const inbox: Array<XlsxWorkerMessage | { kind: 'failed'; outOfMemory: boolean }> = [];
  let wake: (() => void) | null = null;
  const deliver = (message: (typeof inbox)[number]) => {
    inbox.push(message);
    wake?.();
  };
  worker.on('message', deliver);
  worker.on('error', (err: Error & { code?: string }) => deliver({ kind: 'failed', outOfMemory: err.code === 'ERR_WORKER_OUT_OF_MEMORY' }));
  worker.on('exit', () => deliver({ kind: 'failed', outOfMemory: false }));
  try {
    for (;;) {
      while (inbox.length === 0) await new Promise<void>((resolve) => (wake = resolve));
      const message = inbox.shift()!;
      if (message.kind === 'end') return;
      if (message.kind === 'no_sheet') throw new DomainError('unsupported_file', 'the file is a ZIP but not an XLSX workbook (it has no worksheet)', 400);
      if (message.kind === 'failed' && message.outOfMemory) {
        throw new DomainError('payload_too_large', 'the workbook\'s rows are too large to read: save the sheet as CSV, or split it', 413);
      }
      if (message.kind !== 'rows') throw new DomainError('unsupported_file', 'the file is a ZIP but not a readable XLSX workbook', 400);
      worker.postMessage('more');
      for (const [line, cells] of message.rows) yield { line, cells: cells as Cell[] };
    }
  } finally {
    worker.removeAllListeners();
    await worker.terminate();
  }
}

/**
 * The reading thread: the compiled worker beside this file, or — where the sources run as
 * TypeScript (the tests, the command-line tools) — the TypeScript one through tsx's loader.
 */
function startXlsxWorker(path: string): Worker {
  const options = {
    workerData: { path, batchRows: XLSX_BATCH_ROWS } satisfies XlsxWorkerInput,
    resourceLimits: XLSX_READER_LIMITS,
    // exceljs copies each worksheet to a temporary file before reading it (its shared strings
    // come after it in the file): there, in the upload's own folder, which the import deletes
    // whatever happens — even when it stops the reader half-way.
    env: { ...process.env, TMPDIR: dirname(path) },
  };
  if (extname(__filename) !== '.ts') return new Worker(join(__dirname, 'xlsx-rows.worker.js'), options);
  const here = createRequire(__filename);
  const script = `require(${JSON.stringify(here.resolve('tsx/cjs'))}); require(${JSON.stringify(join(__dirname, 'xlsx-rows.worker.ts'))});`;
  return new Worker(script, { ...options, eval: true });
}
