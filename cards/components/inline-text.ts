/**
 * Makes free text (work-order titles, names, suggestions) safe to drop into one line of a
 * card or a markdown message: line breaks become spaces, and the few characters that WeCom
 * and DingTalk markdown treat as syntax become their full-width look-alikes.
 *
 * Why look-alikes rather than backslash escapes: neither platform documents escaping, and a
 * title like "B3*1202" must not turn half a summary bold. Full-width forms read the same to a
 * Chinese reader and mean nothing to either markdown dialect.
 *
 * Invariant: the result has no `\n`, `\r`, `*`, `` ` ``, `[`, `]`, `<`, `>` or `#`, and no
 * leading or trailing whitespace.
 */
export function inlineText(text: string): string {
  return text
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[*`[\]<>#]/g, (char) => FULL_WIDTH[char] ?? char)
    .replace(/ {2,}/g, ' ')
    .trim();
}

const FULL_WIDTH: Record<string, string> = {
  '*': '＊',
  '`': '｀',
  '[': '［',
  ']': '］',
  '<': '＜',
  '>': '＞',
  '#': '＃',
};
