import { DomainError } from '../errors';

/** The fields of a customer an inquiry sheet can fill. */
export type CustomerField =
  | 'externalId'
  | 'name'
  | 'company'
  | 'phone'
  | 'email'
  | 'wecomUserId'
  | 'wecomExternalUserId'
  | 'dingtalkUserId'
  | 'region'
  | 'category'
  | 'inquiryDate'
  | 'product'
  | 'inquiry';

export interface CustomerColumn {
  field: CustomerField;
  /** The Chinese header the export writes (and the import reads first). */
  zh: string;
  /** Every header read as this field (compared after `headerKey`). */
  headers: string[];
  /** The longest text stored, in characters (null: no limit). */
  max: number | null;
}

/**
 * The inquiry sheet's columns (询盘统计表), Chinese or English (docs/api.md §4, "Customers"),
 * in the order the export writes them. Headers are matched whatever their case, spaces,
 * underscores and dashes, with a required-marker (`*`, `（必填）`) ignored. Other columns
 * (序号, 备注, …) are ignored.
 */
export const CUSTOMER_COLUMNS: CustomerColumn[] = [
  { field: 'externalId', zh: '客户编号', headers: ['客户编号', '编号', 'externalId', 'customerId'], max: 64 },
  { field: 'name', zh: '姓名', headers: ['姓名', '联系人', '客户姓名', 'name'], max: 100 },
  { field: 'company', zh: '公司', headers: ['公司', '公司名称', '单位', 'company'], max: 200 },
  { field: 'phone', zh: '电话', headers: ['电话', '手机', '手机号', '联系电话', 'phone', 'mobile', 'tel'], max: null },
  { field: 'email', zh: '邮箱', headers: ['邮箱', '电子邮箱', '电子邮件', 'email', 'e-mail'], max: 254 },
  { field: 'wecomUserId', zh: '企业微信', headers: ['企业微信', 'wecomUserId'], max: 64 },
  { field: 'wecomExternalUserId', zh: '微信客户', headers: ['微信客户', '外部联系人', 'wecomExternalUserId'], max: 64 },
  { field: 'dingtalkUserId', zh: '钉钉', headers: ['钉钉', 'dingtalkUserId'], max: 64 },
  { field: 'region', zh: '地区', headers: ['地区', '区域', 'region'], max: 64 },
  { field: 'category', zh: '分类', headers: ['分类', '客户分类', 'category'], max: 64 },
  { field: 'inquiryDate', zh: '询盘日期', headers: ['询盘日期', 'inquiryDate'], max: null },
  { field: 'product', zh: '产品', headers: ['产品', '询盘产品', 'product'], max: 100 },
  { field: 'inquiry', zh: '询盘内容', headers: ['询盘内容', 'inquiry'], max: 5000 },
];

/** A header as compared: NFKC, no required-marker, no spaces, underscores or dashes, lower case. */
export function headerKey(header: string): string {
  return header
    .normalize('NFKC')
    .replace(/\(必填\)|\*/g, '')
    .replace(/[\s_-]/g, '')
    .toLowerCase();
}

const BY_HEADER = new Map<string, CustomerColumn>(CUSTOMER_COLUMNS.flatMap((c) => c.headers.map((h) => [headerKey(h), c] as const)));

/** One column of the file that Huifang reads: its position, its field, its header as written. */
export interface FileColumn {
  index: number;
  field: CustomerField;
  header: string;
  column: CustomerColumn;
}

/**
 * The columns of a file from its header row. A file without a name column, or without both
 * phone and external id, or naming one field twice, is refused whole (400), naming the column.
 */
export function readHeader(cells: readonly string[]): FileColumn[] {
  const columns: FileColumn[] = [];
  const seen = new Map<CustomerField, string>();
  cells.forEach((header, index) => {
    const column = BY_HEADER.get(headerKey(header));
    if (!column) return;
    const before = seen.get(column.field);
    if (before !== undefined) {
      throw new DomainError('duplicate_column', `the header names ${column.zh}/${column.field} twice: "${before}" and "${header.trim()}"`, 400, {
        column: header.trim(),
      });
    }
    seen.set(column.field, header.trim());
    columns.push({ index, field: column.field, header: header.trim(), column });
  });
  const missing: string[] = [];
  if (!seen.has('name')) missing.push('姓名/name');
  if (!seen.has('phone') && !seen.has('externalId')) missing.push('电话/phone (or 客户编号/externalId)');
  if (missing.length > 0) {
    throw new DomainError('missing_columns', `the header row (line 1) lacks the required column ${missing.join(' and ')}`, 400, { line: 1, columns: missing });
  }
  return columns;
}

/** Whether a row is the header: it names the name column (a title row above it does not). */
export function isHeaderRow(cells: readonly string[]): boolean {
  return cells.some((cell) => BY_HEADER.get(headerKey(cell))?.field === 'name');
}
