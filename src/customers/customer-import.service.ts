import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '../clock';
import { CustomerKeys, customersByKeys, CustomerWrite, upsertCustomers } from '../db/customer-store';
import { inTransaction } from '../db/transaction';
import { DomainError } from '../errors';
import { FileColumn, isHeaderRow, readHeader } from './customer-columns';
import { CustomerInput, readCustomerRow, textOf } from './customer-row';
import { LineIndex } from './line-index';
import { csvRows, SheetRow, xlsxRows } from './sheet-rows';
import { SpooledFile } from './upload';

/** One refused row's problem: its line, the column as the file writes it, and what is wrong. */
export interface Rejection {
  line: number;
  column: string;
  field: string;
  message: string;
}

export interface ImportResult {
  imported: number;
  updated: number;
  rejected: Rejection[];
  format: 'csv' | 'xlsx';
  encoding: string | null;
}

/** Rows written per statement (17 values each; a long inquiry is 5,000 characters at most). */
const BATCH_ROWS = 500;
/** Rows above the header that may hold a title. */
const MAX_TITLE_ROWS = 10;

/**
 * Imports an office's customers from an uploaded CSV or XLSX file (docs/rules.md §8): rows are
 * read as they stream from disk, checked one by one, and written in batches, each customer
 * upserted by external id or phone. A bad row is reported by line and column and skipped; the
 * rest are stored. The whole file goes in one transaction, so a problem of the whole file found
 * on the way (an undecodable line, a damaged workbook, a lost database) stores nothing.
 */
export class CustomerImport {
  constructor(private readonly deps: { dataSource: DataSource; clock: Clock }) {}

  async run(officeId: string, file: SpooledFile): Promise<ImportResult> {
    const format = file.sniffed.kind;
    const encoding = file.sniffed.kind === 'csv' ? file.sniffed.encoding : null;
    const rows = () => (file.sniffed.kind === 'csv' ? csvRows(file.path, file.sniffed.encoding) : xlsxRows(file.path));
    // A transaction retried after a deadlock reads the file again from the start.
    const counts = await inTransaction(this.deps.dataSource, (manager) => new ImportRun(manager, officeId, this.deps.clock.now()).run(rows()));
    return { ...counts, format, encoding };
  }
}

/**
 * External ids are compared without case: MySQL/MariaDB's collation finds `c-001` for `C-001`
 * (and its unique key holds them for one), so matching in a file does the same everywhere. (On
 * SQLite the lookup of stored customers stays exact, to use its index.)
 */
const idKey = (externalId: string): string => externalId.toLowerCase();

interface Pending {
  line: number;
  customer: CustomerInput;
}

/** One pass over a file inside one transaction. */
class ImportRun {
  private columns: FileColumn[] | null = null;
  private titleRows = 0;
  private firstRow: string[] | null = null;
  private pending: Pending[] = [];
  private readonly rejected: Rejection[] = [];
  /** The line of the stored row that gave each phone and external id, and described each existing customer (by id). */
  private readonly phoneLine = new LineIndex();
  private readonly externalLine = new LineIndex();
  private readonly customerLine = new LineIndex();
  private imported = 0;
  private updated = 0;

  constructor(
    private readonly manager: EntityManager,
    private readonly officeId: string,
    private readonly now: Date,
  ) {}

  async run(rows: AsyncIterable<SheetRow>): Promise<{ imported: number; updated: number; rejected: Rejection[] }> {
    for await (const row of rows) {
      if (this.columns === null) this.readHeaderRow(row);
      else this.row(row);
      if (this.pending.length >= BATCH_ROWS) await this.flush();
    }
    if (this.columns === null) {
      if (this.firstRow === null) throw new DomainError('missing_columns', 'the file has no header row (姓名/name, 电话/phone, …) and no rows', 400);
      readHeader(this.firstRow); // throws, naming the missing columns
    }
    await this.flush();
    this.rejected.sort((a, b) => a.line - b.line);
    return { imported: this.imported, updated: this.updated, rejected: this.rejected };
  }

  /** Rows before the header: blank rows and up to ten title rows are passed over. */
  private readHeaderRow(row: SheetRow): void {
    const cells = Array.from(row.cells, (c) => textOf(c));
    if (cells.every((c) => c === '')) return;
    this.firstRow ??= cells;
    if (isHeaderRow(cells)) this.columns = readHeader(cells);
    else if (++this.titleRows >= MAX_TITLE_ROWS) readHeader(this.firstRow);
  }

  private row(row: SheetRow): void {
    const read = readCustomerRow(row.cells, this.columns!);
    if (read.blank) return;
    if (read.problems.length > 0) {
      for (const p of read.problems) this.reject(row.line, p.column, p.field, p.message);
      return;
    }
    const { customer } = read;
    this.pending.push({ line: row.line, customer });
  }

  /** Finds the batch's customers, decides new or update row by row, and writes them. */
  private async flush(): Promise<void> {
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    const phones = [...new Set(batch.flatMap((p) => (p.customer.phone === null ? [] : [p.customer.phone])))];
    const externalIds = [...new Set(batch.flatMap((p) => (p.customer.externalId === null ? [] : [p.customer.externalId])))];
    const byPhone = new Map<string, CustomerKeys>();
    const byExternal = new Map<string, CustomerKeys>();
    for (const c of await customersByKeys(this.manager, this.officeId, phones, externalIds)) {
      if (c.phone !== null) byPhone.set(c.phone, c);
      if (c.externalId !== null) byExternal.set(idKey(c.externalId), c);
    }
    const writes: CustomerWrite[] = [];
    for (const { line, customer } of batch) {
      if (this.repeats(line, customer)) continue;
      const target = this.match(line, customer, byPhone, byExternal);
      if (target === false) continue;
      if (target) this.customerLine.set(String(target.id), line);
      if (customer.phone !== null) this.phoneLine.set(customer.phone, line);
      if (customer.externalId !== null) this.externalLine.set(idKey(customer.externalId), line);
      writes.push({ ...customer, id: target ? target.id : null });
      if (target) this.updated += 1;
      else this.imported += 1;
    }
    await upsertCustomers(this.manager, this.officeId, writes, this.now);
  }

  /** A second row for the same phone or external id in one file is refused: the first stays. */
  private repeats(line: number, customer: CustomerInput): boolean {
    const externalSeen = customer.externalId === null ? undefined : this.externalLine.get(idKey(customer.externalId));
    if (externalSeen !== undefined) this.reject(line, this.headerOf('externalId'), 'externalId', `repeats the external id of line ${externalSeen}`);
    const phoneSeen = customer.phone === null ? undefined : this.phoneLine.get(customer.phone);
    if (externalSeen === undefined && phoneSeen !== undefined) this.reject(line, this.headerOf('phone'), 'phone', `repeats the phone of line ${phoneSeen}`);
    return externalSeen !== undefined || phoneSeen !== undefined;
  }

  /**
   * The existing customer a row describes (by external id first, then by phone), null for a
   * new one, or false when the row is refused: its phone is another customer's, its external id
   * differs from that of the customer its phone names, or an earlier line already described
   * the same customer.
   */
  private match(line: number, customer: CustomerInput, byPhone: Map<string, CustomerKeys>, byExternal: Map<string, CustomerKeys>): CustomerKeys | null | false {
    const byId = customer.externalId === null ? undefined : byExternal.get(idKey(customer.externalId));
    const byTel = customer.phone === null ? undefined : byPhone.get(customer.phone);
    if (byId && byTel && byId.id !== byTel.id) {
      this.reject(line, this.headerOf('phone'), 'phone', 'is the phone of another customer (with another external id)');
      return false;
    }
    const target = byId ?? byTel ?? null;
    if (target && !byId && customer.externalId !== null && target.externalId !== null) {
      this.reject(line, this.headerOf('externalId'), 'externalId', 'differs from the external id of the customer with this phone');
      return false;
    }
    const earlier = target ? this.customerLine.get(String(target.id)) : undefined;
    if (earlier !== undefined) {
      const field = byId ? 'externalId' : 'phone';
      this.reject(line, this.headerOf(field), field, `describes the same customer as line ${earlier}`);
      return false;
    }
    return target;
  }

  private headerOf(field: string): string {
    return this.columns!.find((c) => c.field === field)?.header ?? field;
  }

  private reject(line: number, column: string, field: string, message: string): void {
    this.rejected.push({ line, column, field, message });
  }
}
