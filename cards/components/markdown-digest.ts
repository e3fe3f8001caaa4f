/*
 * A markdown report that must fit a byte budget (the weekly summary): fixed lines that are
 * always shown, lists that give way, and a footer (link, tag) that is never cut. Written once,
 * rendered in WeCom's or DingTalk's markdown dialect.
 */

/** Part of a line; `{ warn }` is highlighted (WeCom warning colour, DingTalk bold). */
export type DigestSpan = string | { warn: string } | { strong: string };

/** One line of text made of spans. */
export type DigestLine = DigestSpan | DigestSpan[];

/** A block of the report. `list` blocks shrink to fit, with "…等 N 条" for what was left out. */
export type DigestBlock =
  | { kind: 'lines'; title?: string; lines: DigestLine[] }
  | { kind: 'list'; title: string; items: DigestLine[]; empty?: string };

/** The whole report. */
export interface Digest {
  heading: string;
  blocks: DigestBlock[];
  /** Always kept whole, after everything else (the link, a unique tag). */
  footer: DigestLine[];
}

/** WeCom markdown (no lists documented; `<font>` colours) or DingTalk markdown (lists, no colours). */
export type MarkdownDialect = 'wecom' | 'dingtalk';

/** No list shows more than this many items before fitting starts: bounds the fitting work. */
const MAX_ITEMS = 60;

function span(part: DigestSpan, dialect: MarkdownDialect): string {
  if (typeof part === 'string') return part;
  if ('warn' in part) return dialect === 'wecom' ? `<font color="warning">${part.warn}</font>` : `**${part.warn}**`;
  return `**${part.strong}**`;
}

function line(value: DigestLine, dialect: MarkdownDialect): string {
  return (Array.isArray(value) ? value : [value]).map((part) => span(part, dialect)).join('');
}

function item(value: DigestLine, dialect: MarkdownDialect): string {
  return `${dialect === 'wecom' ? '· ' : '- '}${line(value, dialect)}`;
}

/** Lines of one block; `shown` items of a list, then "…等 N 条" if some were left out. */
function block(value: DigestBlock, shown: number, dialect: MarkdownDialect): string {
  // DingTalk markdown joins single line breaks into one paragraph; list items and blank
  // lines keep them apart. WeCom keeps single line breaks.
  const sep = dialect === 'wecom' ? '\n' : '\n\n';
  if (value.kind === 'lines') {
    const lines = value.lines.map((entry) => line(entry, dialect)).join(sep);
    return value.title ? `**${value.title}**\n${dialect === 'dingtalk' ? '\n' : ''}${lines}` : lines;
  }
  const title = `**${value.title}（${value.items.length}）**`;
  if (value.items.length === 0) return `${title}${sep}${value.empty ?? '无'}`;
  const items = value.items.slice(0, shown).map((entry) => item(entry, dialect));
  if (shown < value.items.length) items.push(item(`…等 ${value.items.length} 条，详见完整报表`, dialect));
  return `${title}\n${dialect === 'dingtalk' ? '\n' : ''}${items.join('\n')}`;
}

/**
 * The report as markdown that `fits`, cutting list items from the longest list first and
 * saying how many there were ("…等 N 条"). Should even the bare figures not fit, the body is
 * cut on a whole character; the footer is always whole.
 *
 * Invariant: `fits(result)` holds whenever `fits(footer alone)` does; the result is
 * well-formed text (no broken character).
 *
 * @throws Error when not even the heading's first character and the footer fit.
 */
export function renderDigest(digest: Digest, dialect: MarkdownDialect, fits: (markdown: string) => boolean): string {
  const heading = dialect === 'wecom' ? `**${digest.heading}**` : `### ${digest.heading}`;
  const footer = digest.footer.map((entry) => line(entry, dialect)).join('\n\n');
  const shown = digest.blocks.map((entry) => (entry.kind === 'list' ? Math.min(entry.items.length, MAX_ITEMS) : 0));
  const body = (): string => [heading, ...digest.blocks.map((entry, i) => block(entry, shown[i], dialect))].join('\n\n');
  const whole = (text: string): string => (footer ? `${text}\n\n${footer}` : text);

  for (;;) {
    const text = whole(body());
    if (fits(text)) return text;
    // Cut from the list showing most items; on a tie, the later (less important) list.
    let longest = -1;
    shown.forEach((count, i) => {
      if (count > 0 && (longest < 0 || count >= shown[longest])) longest = i;
    });
    if (longest < 0) break;
    shown[longest] -= 1;
  }
  // Even without list items it does not fit: cut the body itself, on whole characters.
  const chars = Array.from(body());
  let low = 0;
  let high = chars.length;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(whole(`${chars.slice(0, mid).join('')}…`))) low = mid;
    else high = mid - 1;
  }
  if (low === 0) throw new Error(`The report "${digest.heading}" does not fit its budget even cut to nothing`);
  return whole(`${chars.slice(0, low).join('')}…`);
}
