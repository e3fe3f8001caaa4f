/** The text encodings a CSV may arrive in (iconv-lite names). */
export type TextEncodingName = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

/** What a file's bytes turned out to be. */
export type SniffedFile =
  | { kind: 'xlsx' }
  | { kind: 'csv'; encoding: TextEncodingName }
  | { kind: 'refused'; code: string; message: string };

const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const OLE2 = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);
const UTF8_BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/**
 * Decides, from every byte of an uploaded file as it streams past, what it is and how its
 * text is encoded (docs/rules.md §8), by one fixed rule rather than a guess:
 * 1. a ZIP (`PK\3\4`) is an XLSX workbook; an OLE2 file is an Excel 97–2003 `.xls` (refused);
 * 2. a UTF-8 byte-order mark → UTF-8 (Excel's "CSV UTF-8"); the bytes must then be UTF-8;
 * 3. a UTF-16 byte-order mark → UTF-16 (Excel's "Unicode text");
 * 4. otherwise a NUL byte anywhere → not a text file (refused);
 * 5. every byte valid UTF-8 (checked strictly, over the whole file, not a sample) → UTF-8;
 * 6. otherwise GB18030, the superset of GBK and GB2312 that Excel on a Chinese Windows writes
 *    as "CSV (逗号分隔)". A sequence GB18030 cannot decode either is found while reading, and
 *    refuses the file naming its line.
 * Pure ASCII is valid UTF-8 and reads the same in GB18030.
 */
export class FileSniffer {
  private head = Buffer.alloc(0);
  private readonly utf8 = new TextDecoder('utf-8', { fatal: true });
  private validUtf8 = true;
  private nul = false;
  private bytes = 0;

  write(chunk: Buffer): void {
    this.bytes += chunk.length;
    if (this.head.length < 8) this.head = Buffer.concat([this.head, chunk.subarray(0, 8 - this.head.length)]);
    if (!this.nul && chunk.includes(0)) this.nul = true;
    if (this.validUtf8) {
      try {
        this.utf8.decode(chunk, { stream: true });
      } catch {
        this.validUtf8 = false;
      }
    }
  }

  get size(): number {
    return this.bytes;
  }

  /** The verdict, once every byte was written. */
  end(): SniffedFile {
    if (this.validUtf8) {
      try {
        this.utf8.decode();
      } catch {
        this.validUtf8 = false; // a sequence cut off at the end
      }
    }
    const head = this.head;
    if (startsWith(head, ZIP)) return { kind: 'xlsx' };
    if (startsWith(head, OLE2)) {
      return { kind: 'refused', code: 'unsupported_file', message: 'the file is an Excel 97–2003 workbook (.xls): save it as .xlsx or as CSV' };
    }
    if (startsWith(head, UTF8_BOM)) {
      return this.validUtf8
        ? { kind: 'csv', encoding: 'utf-8' }
        : { kind: 'refused', code: 'undecodable', message: 'the file starts with a UTF-8 byte-order mark but is not UTF-8 text' };
    }
    if (head[0] === 0xff && head[1] === 0xfe) return { kind: 'csv', encoding: 'utf-16le' };
    if (head[0] === 0xfe && head[1] === 0xff) return { kind: 'csv', encoding: 'utf-16be' };
    if (this.nul) return { kind: 'refused', code: 'unsupported_file', message: 'the file is neither CSV text nor an XLSX workbook' };
    return { kind: 'csv', encoding: this.validUtf8 ? 'utf-8' : 'gb18030' };
  }
}

function startsWith(head: Buffer, magic: Buffer): boolean {
  return head.length >= magic.length && head.subarray(0, magic.length).equals(magic);
}
