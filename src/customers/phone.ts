/**
 * One form for every phone number a customer sheet may hold (docs/rules.md §8), so that a
 * customer is found again by phone whatever the sheet's spelling:
 * - a mainland mobile is its 11 digits: `+86 138-0013-8000`, `0086 13800138000`,
 *   `86 13800138000`, `013800138000`, `(+86)138 0013 8000` and `１３８００１３８０００` are all
 *   `13800138000`;
 * - a mainland landline is its area code with the trunk 0 and the number, digits only:
 *   `010-1234 5678` and `+86 10 12345678` are `01012345678`; 400/800 numbers are kept as dialled;
 * - any other country keeps `+` and its code: `+852 9123 4567` and `00852-91234567` are
 *   `+85291234567` (7 to 15 digits, E.164).
 * Spaces, dashes, dots and brackets are separators; anything else (letters, an extension,
 * two numbers in one cell) is refused, as is a number Excel turned into `1.38001E+10`; a
 * number written as a float (`13800138000.0`) loses its fraction.
 * Messages never repeat the number (they are shown to callers and may be logged).
 */
export type PhoneResult = { ok: true; phone: string } | { ok: false; message: string };

const SEPARATORS = /[\s\-.()\u2010-\u2015]/g;
const MOBILE = /^1[3-9]\d{9}$/;
const LANDLINE = /^0[1-9]\d{8,10}$/;
const SERVICE = /^[48]00\d{7}$/;
const EXCEL_NUMBER = /^\d(\.\d+)?e\+?\d+$/i;

export function normalisePhone(raw: string): PhoneResult {
  const text = raw.normalize('NFKC').trim();
  if (EXCEL_NUMBER.test(text)) {
    return { ok: false, message: 'was turned into a number by Excel (like 1.38E+10) and lost digits: format the column as text' };
  }
  // A number some tools write as a float (13800138000.0): the fraction is no part of it.
  const compact = text.replace(/^(\+?\d+)\.0+$/, '$1').replace(SEPARATORS, '');
  if (!/^\+?\d+$/.test(compact)) {
    return { ok: false, message: 'is not a phone number: only digits, spaces, dashes, brackets and a leading + are allowed' };
  }
  const international = compact.startsWith('+') ? compact.slice(1) : compact.startsWith('00') ? compact.slice(2) : null;
  if (international !== null) {
    if (international.startsWith('86')) return mainland(international.slice(2), true);
    if (international.length < 7 || international.length > 15) {
      return { ok: false, message: 'is not an international number: + and the country code, then 7 to 15 digits in all' };
    }
    return { ok: true, phone: `+${international}` };
  }
  // Written without + but with the country code: 86 and a mobile number.
  if (compact.length === 13 && compact.startsWith('86') && MOBILE.test(compact.slice(2))) return { ok: true, phone: compact.slice(2) };
  return mainland(compact, false);
}

function mainland(digits: string, afterCountryCode: boolean): PhoneResult {
  // A mobile dialled with a 0 in front (as from some desk phones): no area code starts 013–019.
  if (digits.length === 12 && digits.startsWith('0') && MOBILE.test(digits.slice(1))) return { ok: true, phone: digits.slice(1) };
  if (MOBILE.test(digits) || LANDLINE.test(digits) || SERVICE.test(digits)) return { ok: true, phone: digits };
  // After +86 a landline drops its trunk 0: +86 10 12345678 is 010 12345678.
  if (afterCountryCode && LANDLINE.test(`0${digits}`)) return { ok: true, phone: `0${digits}` };
  return {
    ok: false,
    message: 'is not a mainland mobile (11 digits from 13 to 19) or landline (area code with its 0); write other countries with + and the country code',
  };
}
