import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { CsvError, parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { DomainError } from '../errors';
import { Cell } from './customer-row';
import { TextEncodingName } from './text-encoding';

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

/**
 * The rows of an XLSX workbook's first sheet, read with exceljs' streaming reader (shared
 * strings and styles kept, so dates come as dates). Anything the reader cannot read (a ZIP that
 * is not a workbook, a damaged file) refuses the whole file.
 */
export async function* xlsxRows(path: string): AsyncGenerator<SheetRow> {
  const { default: Excel } = await import('exceljs');
  const input = createReadStream(path);
  const reader = new Excel.stream.xlsx.WorkbookReader(input, { sharedStrings: 'cache', styles: 'cache', hyperlinks: 'ignore', worksheets: 'emit', entries: 'ignore' });
  try {
    for await (const sheet of reader) {
      for await (const row of sheet as AsyncIterable<{ number: number; values: Cell[] }>) {
        // exceljs numbers cells from 1; the readers' cells are numbered from 0.
        yield { line: row.number, cells: (row.values as Cell[]).slice(1) };
      }
      return;
    }
  } catch (err) {
    if (err instanceof DomainError) throw err;
    throw new DomainError('unsupported_file', 'the file is a ZIP but not a readable XLSX workbook', 400);
  } finally {
    input.destroy();
  }
  throw new DomainError('unsupported_file', 'the file is a ZIP but not an XLSX workbook (it has no worksheet)', 400);
}
