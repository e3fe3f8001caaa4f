import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../src/customers/phone';
import { readHeader } from '../../src/customers/customer-columns';
import { FileSniffer } from '../../src/customers/text-encoding';

describe('phone numbers in one form (docs/rules.md §8)', () => {
  it.each([
    ['13800138000', '13800138000'],
    ['138 0013 8000', '13800138000'],
    ['138-0013-8000', '13800138000'],
    ['+86 138-0013-8000', '13800138000'],
    ['+8613800138000', '13800138000'],
    ['0086 13800138000', '13800138000'],
    ['86 13800138000', '13800138000'],
    ['(+86)138 0013 8000', '13800138000'],
    ['013800138000', '13800138000'],
    ['13800138000.0', '13800138000'],
    ['１３８００１３８０００', '13800138000'],
    ['＋８６ １３８ ００１３ ８０００', '13800138000'],
    ['010-1234 5678', '01012345678'],
    ['(0755) 8888-6666', '075588886666'],
    ['+86 10 12345678', '01012345678'],
    ['+86 (0)10 1234 5678', '01012345678'],
    ['400-820-8820', '4008208820'],
    ['+852 9123 4567', '+85291234567'],
    ['00852-91234567', '+85291234567'],
    ['+1 (415) 555-0100', '+14155550100'],
  ])('%s is %s', (raw, phone) => {
    expect(normalisePhone(raw)).toEqual({ ok: true, phone });
  });

  it.each([
    ['12345', 'is not a mainland mobile'],
    ['1380013800', 'is not a mainland mobile'],
    ['138001380001', 'is not a mainland mobile'],
    ['12800138000', 'is not a mainland mobile'],
    ['1.38001E+10', 'turned into a number by Excel'],
    ['138-0013-8000 转 801', 'is not a phone number'],
    ['13800138000/13900001111', 'is not a phone number'],
    ['call me', 'is not a phone number'],
    ['+852 123', 'is not an international number'],
  ])('%s is refused (%s) without repeating the number', (raw, words) => {
    const result = normalisePhone(raw);
    expect(result.ok).toBe(false);
    const message = (result as { message: string }).message;
    expect(message).toContain(words);
    expect(message).not.toContain(raw.replace(/\D/g, '').slice(0, 5) || '@@');
  });
});

describe('what an uploaded file is, and its encoding', () => {
  const sniff = (...chunks: Buffer[]) => {
    const sniffer = new FileSniffer();
    for (const c of chunks) sniffer.write(c);
    return sniffer.end();
  };
  const text = '姓名,电话\r\n张伟,13800138000\r\n';

  it('takes UTF-8 with and without a BOM, also when a character is split between chunks', () => {
    const bytes = Buffer.from(text, 'utf8');
    expect(sniff(Buffer.from([0xef, 0xbb, 0xbf]), bytes)).toEqual({ kind: 'csv', encoding: 'utf-8' });
    expect(sniff(bytes.subarray(0, 1), bytes.subarray(1, 4), bytes.subarray(4))).toEqual({ kind: 'csv', encoding: 'utf-8' });
  });

  it('reads GBK as GB18030, even when the first 64 KiB are plain ASCII', () => {
    expect(sniff(iconv.encode(text, 'gbk'))).toEqual({ kind: 'csv', encoding: 'gb18030' });
    expect(sniff(Buffer.from(`name,phone\r\n${'Zhang Wei,13800138000\r\n'.repeat(4_000)}`), iconv.encode('张伟,13900001111\r\n', 'gbk'))).toEqual({
      kind: 'csv',
      encoding: 'gb18030',
    });
  });

  it('takes UTF-16 with its BOM, XLSX by its ZIP signature; refuses .xls, binary files and a false UTF-8 BOM', () => {
    expect(sniff(Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le'))).toEqual({ kind: 'csv', encoding: 'utf-16le' });
    expect(sniff(Buffer.from('504b030414000000', 'hex'))).toEqual({ kind: 'xlsx' });
    expect(sniff(Buffer.from('d0cf11e0a1b11ae1', 'hex'))).toMatchObject({ kind: 'refused', code: 'unsupported_file' });
    expect(sniff(Buffer.from('\u0089PNG\r\n\u001a\n\u0000\u0000', 'latin1'))).toMatchObject({ kind: 'refused', code: 'unsupported_file' });
    expect(sniff(Buffer.from([0xef, 0xbb, 0xbf]), iconv.encode(text, 'gbk'))).toMatchObject({ kind: 'refused', code: 'undecodable' });
  });
});

describe('the header row', () => {
  it('reads Chinese or English headers whatever their case, spacing and required-markers; ignores other columns', () => {
    const columns = readHeader(['序号', '姓名（必填）', 'PHONE *', 'Inquiry_Date', ' 客户分类 ', 'e-mail', '备注']);
    expect(columns.map((c) => [c.index, c.field, c.header])).toEqual([
      [1, 'name', '姓名（必填）'],
      [2, 'phone', 'PHONE *'],
      [3, 'inquiryDate', 'Inquiry_Date'],
      [4, 'category', '客户分类'],
      [5, 'email', 'e-mail'],
    ]);
  });

  it('refuses a header without name, without phone and external id, or with a field twice', () => {
    expect(() => readHeader(['电话'])).toThrow(/姓名\/name/);
    expect(() => readHeader(['姓名', '公司'])).toThrow(/电话\/phone \(or 客户编号\/externalId\)/);
    expect(readHeader(['姓名', '客户编号']).map((c) => c.field)).toEqual(['name', 'externalId']);
    expect(() => readHeader(['姓名', '手机', '联系电话'])).toThrow(/twice/);
  });
});
