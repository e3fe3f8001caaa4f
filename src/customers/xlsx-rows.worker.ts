import { createReadStream } from 'node:fs';
import { MessagePort, parentPort, workerData } from 'node:worker_threads';
import { SharedStrings } from './shared-strings';

/** What the reading thread is given. */
export interface XlsxWorkerInput {
  path: string;
  batchRows: number;
}

/** What it answers: rows in batches ([line, cells]), then the end, or that there is no sheet or the file cannot be read. */
export type XlsxWorkerMessage = { kind: 'rows'; rows: Array<[number, unknown[]]> } | { kind: 'end' } | { kind: 'no_sheet' } | { kind: 'unreadable' };

/** Batches sent and not yet taken by the import: the reader waits past this many. */
const BATCHES_AHEAD = 3;

/**
 * Characters of text a batch carries at most. V8 deserialises a message of more than 100 KB
 * straight into its old generation, where it stays until a full collection even though the
 * import is done with it in milliseconds: a batch of 500 rows of Chinese text is several times
 * that, and those batches were most of what grew the server's heap during an import
 * (docs/benchmarks.md, "Customer import"). 30,000 characters are 60 KB as two-byte text.
 */
const BATCH_CHARS = 30_000;

/**
 * Posts the rows of the workbook's first sheet to the import (src/customers/sheet-rows.ts starts
 * this worker thread, with a capped heap). The reader runs at most BATCHES_AHEAD batches ahead of
 * the import, which acknowledges each batch: rows never pile up when the database is slower.
 */
async function postRows(port: MessagePort, input: XlsxWorkerInput): Promise<void> {
  let credits = BATCHES_AHEAD;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    credits += 1;
    wake?.();
  });
  for await (const rows of firstSheetRows(input.path, input.batchRows)) {
    while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
    credits -= 1;
    port.postMessage({ kind: 'rows', rows } satisfies XlsxWorkerMessage);
  }
  port.postMessage({ kind: 'end' } satisfies XlsxWorkerMessage);
}

/** Thrown when the workbook has no worksheet. */
export class NoWorksheet extends Error {}

/**
 * The rows of a workbook's first sheet in batches of up to `batchRows` rows and BATCH_CHARS
 * characters, [line, cells from 0], read with exceljs'
 * streaming reader. Shared strings are emitted, not cached by exceljs, and kept in a compact
 * table; styles are cached so that date cells come as dates.
 */
export async function* firstSheetRows(path: string, batchRows: number): AsyncGenerator<Array<[number, unknown[]]>> {
  const { default: Excel } = await import('exceljs');
  const reader = new Excel.stream.xlsx.WorkbookReader(createReadStream(path), {
    sharedStrings: 'emit',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  const strings = new SharedStrings();
  let read = false;
  // The loop goes on past the first sheet (its later sheets are not read) so that exceljs
  // deletes each worksheet it copied to a temporary file as it finishes with it.
  for await (const event of iterate<WorkbookEvent>(reader.parse())) {
    const shared = sharedStringOf(event);
    if (shared) strings.add(shared.index, shared.text);
    if (event.eventType !== 'worksheet' || read) continue;
    read = true;
    let batch: Array<[number, unknown[]]> = [];
    let chars = 0;
    const sheet = event.value as { parse(): AsyncIterator<Array<{ eventType: string; value: unknown }>> };
    for await (const sheetEvents of iterate(sheet.parse())) {
      for (const { eventType, value } of sheetEvents) {
        if (eventType !== 'row') continue;
        const row = value as { number: number; values: unknown[] };
        const cells = cellsOf(row.values, strings);
        batch.push([row.number, cells]);
        chars += charsOf(cells);
        if (batch.length >= batchRows || chars >= BATCH_CHARS) {
          yield batch;
          batch = [];
          chars = 0;
        }
      }
    }
    if (batch.length > 0) yield batch;
  }
  if (!read) throw new NoWorksheet();
}

const iterate = <T>(iterator: AsyncIterator<T>): AsyncIterable<T> => ({ [Symbol.asyncIterator]: () => iterator });

type WorkbookEvent = { eventType?: string; value?: unknown; index?: unknown; text?: unknown };

/**
 * A shared string the reader emitted. exceljs 4.4 yields them as `{index, text}` (its README
 * shows `{eventType: 'shared-strings', value}`); both shapes are read.
 */
function sharedStringOf(event: WorkbookEvent): { index: number; text: unknown } | null {
  const candidate = (event.eventType === 'shared-strings' ? event.value : event) as WorkbookEvent | undefined;
  return candidate && typeof candidate.index === 'number' ? { index: candidate.index, text: candidate.text } : null;
}

/** About how many characters a row's cells are as text (a non-string cell counted as 20). */
function charsOf(cells: unknown[]): number {
  let chars = 0;
  for (const cell of cells) chars += typeof cell === 'string' ? cell.length : 20;
  return chars;
}

/** A row's cells from 0 (exceljs numbers them from 1), shared strings looked up. */
function cellsOf(values: unknown[], strings: SharedStrings): unknown[] {
  const cells: unknown[] = new Array(Math.max(values.length - 1, 0));
  for (let i = 1; i < values.length; i++) {
    const v = values[i];
    cells[i - 1] = v !== null && typeof v === 'object' && 'sharedString' in v ? strings.get((v as { sharedString: number }).sharedString) : v;
  }
  return cells;
}

if (parentPort) {
  const port = parentPort;
  // Whatever the reader throws (not a workbook, damaged XML) refuses the file; what it said
  // may quote the file, so it stays here.
  postRows(port, workerData as XlsxWorkerInput).catch((err: unknown) =>
    port.postMessage({ kind: err instanceof NoWorksheet ? 'no_sheet' : 'unreadable' } satisfies XlsxWorkerMessage),
  );
}
