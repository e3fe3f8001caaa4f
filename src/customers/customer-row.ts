import { CustomerField, FileColumn } from './customer-columns';
import { normalisePhone } from './phone';

/** A cell as the readers give it: text (CSV), or what a spreadsheet cell holds (XLSX). */
export type Cell = string | number | boolean | Date | null | undefined | { [key: string]: unknown };

/** A customer as one row describes it; null where the row leaves a field blank. */
export type CustomerInput = { [F in CustomerField]: string | null } & { name: string };

export interface RowProblem {
  /** The column's header as the file writes it. */
  column: string;
  field: CustomerField;
  message: string;
}

export type RowResult = { blank: true } | { blank: false; customer: CustomerInput; problems: RowProblem[] };

/**
 * Reads one data row into a customer (docs/rules.md §8): texts trimmed, the phone normalised,
 * the e-mail and inquiry date checked, lengths bounded. Every problem of the row is named by
 * its column; a row with a problem is not stored. A row of blank cells is no row at all.
 */
export function readCustomerRow(cells: readonly Cell[], columns: readonly FileColumn[]): RowResult {
  const customer = { externalId: null, name: '', company: null, phone: null, email: null, wecomUserId: null, wecomExternalUserId: null, dingtalkUserId: null, region: null, category: null, inquiryDate: null, product: null, inquiry: null } as CustomerInput;
  const problems: RowProblem[] = [];
  let blank = true;
  for (const col of columns) {
    const cell = cells[col.index];
    const problem = (message: string) => problems.push({ column: col.header, field: col.field, message });
    if (isFormulaError(cell)) {
      blank = false;
      problem('holds a formula error');
      continue;
    }
    if (col.field === 'inquiryDate') {
      const date = dateOf(cell);
      if (date === null) continue;
      blank = false;
      if (date === undefined) problem('is not a date (YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)');
      else customer.inquiryDate = date;
      continue;
    }
    const text = textOf(cell);
    if (text === '') continue;
    blank = false;
    if (col.column.max !== null && text.length > col.column.max && [...text].length > col.column.max) {
      problem(`is longer than ${col.column.max} characters`);
      continue;
    }
    if (col.field === 'phone') {
      const phone = normalisePhone(text);
      if (phone.ok) customer.phone = phone.phone;
      else problem(phone.message);
    } else if (col.field === 'email') {
      if (EMAIL.test(text)) customer.email = text;
      else problem('is not an e-mail address');
    } else {
      customer[col.field] = text;
    }
  }
  if (blank) return { blank: true };
  const header = (field: CustomerField) => columns.find((c) => c.field === field)?.header ?? field;
  if (customer.name === '' && !problems.some((p) => p.field === 'name')) problems.push({ column: header('name'), field: 'name', message: 'is required' });
  if (customer.phone === null && customer.externalId === null && !problems.some((p) => p.field === 'phone' || p.field === 'externalId')) {
    const which = columns.some((c) => c.field === 'phone') ? 'phone' : 'externalId';
    problems.push({ column: header(which), field: which, message: 'is required: a customer is known by phone or external id' });
  }
  return { blank: false, customer, problems };
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function isFormulaError(cell: Cell): boolean {
  return cell !== null && typeof cell === 'object' && !(cell instanceof Date) && 'error' in cell;
}

/** A cell's text: rich text joined, a hyperlink's text, a formula's result; trimmed. */
export function textOf(cell: Cell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return cell.trim();
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell.toFixed(0) : String(cell);
  if (typeof cell === 'boolean') return cell ? 'TRUE' : 'FALSE';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  if (Array.isArray(cell.richText)) return (cell.richText as Array<{ text?: unknown }>).map((r) => String(r.text ?? '')).join('').trim();
  if ('text' in cell) return textOf(cell.text as Cell);
  if ('result' in cell) return textOf(cell.result as Cell);
  return '';
}

/** Days from Excel's day 0 (1899-12-30) to 1970-01-01. */
const EXCEL_EPOCH_DAYS = 25569;

/**
 * An inquiry date as YYYY-MM-DD; null for a blank cell, undefined for one that is not a date.
 * A spreadsheet date (a Date, or a day number in a cell without a date format) is its calendar
 * day as the sheet shows it; text is YYYY-MM-DD, YYYY/M/D, YYYY.M.D or YYYY年M月D日, a time after
 * it ignored.
 */
export function dateOf(cell: Cell): string | null | undefined {
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().slice(0, 10);
  if (typeof cell === 'number') {
    if (!Number.isFinite(cell) || cell < 1 || cell > 2958465) return undefined;
    return new Date(Math.round((Math.floor(cell) - EXCEL_EPOCH_DAYS) * 86_400_000)).toISOString().slice(0, 10);
  }
  const text = textOf(cell).normalize('NFKC');
  if (text === '') return null;
  const m = /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$/.exec(text);
  if (!m) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1900 || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return date.toISOString().slice(0, 10);
}
