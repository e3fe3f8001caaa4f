import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Context } from 'koa';
import { DomainError } from '../errors';
import { tooLarge } from '../http/read-body';
import { FileSniffer, SniffedFile } from './text-encoding';

/** 50 MiB: a customer file's largest size (100,000 rows of an inquiry sheet take about 15 MiB). */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

/** A file a request uploaded, kept on disk until `discard`. */
export interface SpooledFile {
  path: string;
  sniffed: Exclude<SniffedFile, { kind: 'refused' }>;
  bytes: number;
  discard(): Promise<void>;
}

/** How much of an oversized upload is still read (and dropped) before answering 413. */
const DISCARDED_BYTES_MAX = 16 * 1024 * 1024;

const ACCEPTED_TYPES = [
  'text/csv',
  'text/plain',
  'application/csv',
  'application/vnd.ms-excel',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/octet-stream',
];

/**
 * Streams a request's body to a temporary file, at most `limit` bytes (413 past it), and
 * decides what the file is as its bytes pass (src/customers/text-encoding.ts). Why a file and
 * not straight into the parser: the encoding rule needs every byte before the first is decoded,
 * an oversized or undecodable upload is refused before anything is written, the import's
 * transaction never waits on a slow client, and a transaction retried after a deadlock reads
 * the file again. Memory stays at one chunk whatever the size.
 */
export async function spoolUpload(ctx: Context, limit = MAX_IMPORT_BYTES): Promise<SpooledFile> {
  const type = (ctx.get('content-type').split(';')[0] ?? '').trim().toLowerCase();
  if (type !== '' && !ACCEPTED_TYPES.includes(type)) {
    ctx.set('Connection', 'close');
    throw new DomainError('unsupported_media_type', `send the file itself as the body, as text/csv or as an XLSX workbook (got ${type.slice(0, 100)})`, 415);
  }
  if (Number(ctx.get('content-length') || NaN) > limit) throw await tooLarge(ctx, limit);
  const dir = await mkdtemp(join(tmpdir(), 'hf-import-'));
  const discard = () => rm(dir, { recursive: true, force: true });
  try {
    const path = join(dir, 'upload');
    const sniffer = new FileSniffer();
    const out = createWriteStream(path);
    let over = false;
    let seen = 0;
    try {
      for await (const chunk of ctx.req as AsyncIterable<Buffer>) {
        seen += chunk.length;
        // Past the limit the rest is read and dropped, so the client reads the 413; a client
        // sending much more is cut off.
        if (over && seen > limit + DISCARDED_BYTES_MAX) break;
        if (over) continue;
        sniffer.write(chunk);
        if (sniffer.size > limit) {
          over = true;
          continue;
        }
        if (!out.write(chunk)) await once(out, 'drain');
      }
    } catch {
      throw new DomainError('bad_body', 'the body could not be read', 400);
    } finally {
      out.end();
      await once(out, 'close').catch(() => undefined);
    }
    if (over) throw await tooLarge(ctx, limit);
    if (sniffer.size === 0) throw new DomainError('empty_file', 'the body is empty: send a CSV or XLSX file', 400);
    const sniffed = sniffer.end();
    if (sniffed.kind === 'refused') throw new DomainError(sniffed.code, sniffed.message, 400);
    return { path, sniffed, bytes: sniffer.size, discard };
  } catch (err) {
    await discard();
    throw err;
  }
}
