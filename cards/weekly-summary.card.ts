import type { RenderedMessage } from '../src/channels/channel';
import type { WorkOrderKind } from '../src/rules/kinds';
import { inlineText } from './components/inline-text';
import { VISIT_KIND_LABELS } from './components/labels';
import { renderDigest, type Digest, type DigestLine, type MarkdownDialect } from './components/markdown-digest';
import { DINGTALK, ROBOT_SUMMARY_MAX_BYTES, WECOM } from './components/platform-limits';
import { truncateChars, utf8Bytes } from './components/utf8';

/** One visit named in the summary (unqualified, overdue, awaiting confirmation). */
export interface SummaryVisit {
  title: string;
  unit: string;
  kind?: WorkOrderKind;
  /** The visitor, where it helps the supervisor follow up. */
  staffName?: string;
}

/** One kind's follow-up rate against its target (fractions 0–1; `rate` null = nothing eligible). */
export interface SummaryKindRate {
  kind: WorkOrderKind;
  rate: number | null;
  target: number;
  onTime?: number;
  eligible?: number;
}

/** One staff member's figures for the week (SOP 4.9). */
export interface SummaryStaff {
  name: string;
  assigned: number;
  done: number;
  onTime: number;
  overdue: number;
  satisfactionAvg: number | null;
}

/** One construction project's warranty line (docs/rules.md §7): what ends soon, how its open repairs stand. */
export interface SummaryWarranty {
  project: string;
  /** e.g. `防水 2027-06-01 到期`; '' when nothing ends within 90 days. */
  expiring: string;
  /** e.g. `未完维修 2（到场超时 1）`; '' when none is open. */
  repairs: string;
  /** A deadline was missed: the line is highlighted. */
  late: boolean;
}

/** Props of the weekly summary to an office's supervisor (docs/rules.md §5). */
export interface WeeklySummaryProps {
  /** `app`: a message to the supervisor; `robot`: the office group's robot (SUMMARY_ROBOT_WEBHOOK). */
  via: 'app' | 'robot';
  officeName: string;
  /** ISO week in the office's zone, e.g. `2026-W48`. */
  week: string;
  /** Optional readable dates, e.g. `11月23日—11月29日`. */
  period?: string;
  /** The full report (`/api/reports/weekly?…` page). */
  link: string;
  /** Office and week: keeps the DingTalk work notice from being dropped as a duplicate. */
  uniqueTag: string;
  totals: { due: number; done: number; onTime: number; overdue: number; unqualified: number };
  kinds: SummaryKindRate[];
  satisfactionAvg: number | null;
  unqualified: SummaryVisit[];
  overdue: SummaryVisit[];
  staff: SummaryStaff[];
  /** Records still awaiting the resident's confirmation. */
  awaitingConfirmation: SummaryVisit[];
  /** Construction projects with warranty ending within 90 days or repairs open; the block is left out when none. */
  warranty?: SummaryWarranty[];
}

/** `0.795` → `79.5%`, `1` → `100%`. */
function percent(fraction: number): string {
  return `${Math.round(fraction * 1000) / 10}%`;
}

/** `4.6`, `4.52`, or — when nobody answered. */
function average(value: number | null): string {
  return value === null ? '—' : String(Math.round(value * 100) / 100);
}

function visitLine(visit: SummaryVisit): DigestLine {
  const kind = visit.kind ? `（${VISIT_KIND_LABELS[visit.kind]}）` : '';
  const staff = visit.staffName ? ` · ${inlineText(visit.staffName)}` : '';
  return `${inlineText(visit.title)} · ${inlineText(visit.unit)}${kind}${staff}`;
}

function kindLine(rate: SummaryKindRate): DigestLine {
  const label = VISIT_KIND_LABELS[rate.kind];
  if (rate.rate === null) return `${label}：本周无应回访`;
  const counts = rate.onTime !== undefined && rate.eligible !== undefined ? `（${rate.onTime}/${rate.eligible}）` : '';
  const line: DigestLine = [`${label}：回访率 ${percent(rate.rate)}${counts}，目标 ${percent(rate.target)}`];
  if (rate.rate < rate.target) line.push(' ', { warn: '未达标' });
  return line;
}

function warrantyLine(w: SummaryWarranty): DigestLine {
  const parts = [w.expiring, w.repairs].filter(Boolean).map(inlineText).join('；');
  return w.late ? [`${inlineText(w.project)}：`, { warn: parts }] : `${inlineText(w.project)}：${parts}`;
}

function staffLine(staff: SummaryStaff): DigestLine {
  const line: DigestLine = [`${inlineText(staff.name)}：应访 ${staff.assigned} · 完成 ${staff.done} · 按时 ${staff.onTime} · 逾期 `];
  line.push(staff.overdue > 0 ? { warn: String(staff.overdue) } : '0');
  line.push(` · 满意度 ${average(staff.satisfactionAvg)}`);
  return line;
}

/** The office as the heading names it: cut, so a long name cannot crowd out the figures. */
function officeLabel(props: WeeklySummaryProps): string {
  return truncateChars(inlineText(props.officeName), 30);
}

function digest(props: WeeklySummaryProps, withTag: boolean): Digest {
  const { totals } = props;
  const count = (value: number): DigestLine => (value > 0 ? { warn: String(value) } : '0');
  return {
    heading: `回访周报 ${props.week} · ${officeLabel(props)}`,
    blocks: [
      {
        kind: 'lines',
        lines: [
          ...(props.period ? [inlineText(props.period)] : []),
          `应回访 ${totals.due} · 完成 ${totals.done} · 按时 ${totals.onTime}`,
          ['逾期 ', count(totals.overdue), ' · 不合格 ', count(totals.unqualified)].flat(),
          `满意度均分 ${average(props.satisfactionAvg)}`,
        ],
      },
      { kind: 'lines', title: '各类回访率', lines: props.kinds.length > 0 ? props.kinds.map(kindLine) : ['本周无应回访'] },
      { kind: 'list', title: '不合格回访', items: props.unqualified.map(visitLine) },
      { kind: 'list', title: '逾期回访', items: props.overdue.map(visitLine) },
      { kind: 'list', title: '人员情况', items: props.staff.map(staffLine), empty: '本周无分配' },
      { kind: 'list', title: '待住户确认', items: props.awaitingConfirmation.map(visitLine) },
      ...(props.warranty?.length ? [{ kind: 'list' as const, title: '工程保修', items: props.warranty.map(warrantyLine) }] : []),
    ],
    footer: [`[查看完整报表](${props.link})`, ...(withTag ? [`（${inlineText(props.uniqueTag)}）`] : [])],
  };
}

function markdownBody(title: string, text: string): Record<string, unknown> {
  // The same {msgtype, markdown:{title,text}} shape serves the work notice and the robot.
  return { msgtype: 'markdown', markdown: { title, text } };
}

/**
 * The week's figures for an office's supervisor (docs/rules.md §5): totals, rate vs target per
 * kind, satisfaction, the unqualified and overdue visits by name, each staff member's
 * figures, records awaiting the resident's confirmation and, for construction projects, the
 * warranty ending within 90 days and repairs still open, with a link to the full report.
 *
 * Sizes: WeCom app markdown ≤ 2048 bytes, DingTalk work notice `msg` ≤ 2048 bytes of JSON;
 * robots ≤ 4096 bytes (WeCom's robot markdown limit; DingTalk's robot by our policy). Lists
 * give way first ("…等 N 条"); text is only ever cut on whole characters.
 *
 * With `via: 'robot'` the two halves are robot bodies: `wecom` is posted as is, and
 * `dingtalk.msg` is the DingTalk robot body (the `kind: 'notice'` wrapper is only the
 * carrier of `RenderedMessage`).
 */
export function render(props: WeeklySummaryProps): RenderedMessage {
  const title = `回访周报 ${props.week} · ${officeLabel(props)}`;
  const robot = props.via === 'robot';
  const wecomLimit = robot ? ROBOT_SUMMARY_MAX_BYTES : WECOM.markdownMaxBytes;
  const dingtalkLimit = robot ? ROBOT_SUMMARY_MAX_BYTES : DINGTALK.noticeMsgMaxBytes;
  const fitsWecom = (text: string): boolean => utf8Bytes(text) <= wecomLimit;
  const fitsDingtalk = (text: string): boolean => utf8Bytes(JSON.stringify(markdownBody(title, text))) <= dingtalkLimit;
  const render = (dialect: MarkdownDialect, fits: (text: string) => boolean, withTag: boolean): string =>
    renderDigest(digest(props, withTag), dialect, fits);
  return {
    wecom: { msgtype: 'markdown', markdown: { content: render('wecom', fitsWecom, false) } },
    // Work notices carry the tag (same content is dropped once a day); robots need none.
    dingtalk: { kind: 'notice', msg: markdownBody(title, render('dingtalk', fitsDingtalk, !robot)) },
  };
}
