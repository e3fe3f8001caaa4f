import { describe, expect, it } from 'vitest';
import { render, type WeeklySummaryProps } from '../../cards/weekly-summary.card';
import { checkDingtalkMessage, checkWecomMessage } from '../../cards/components/limits';
import { renderDigest, type Digest } from '../../cards/components/markdown-digest';
import { utf8Bytes } from '../../cards/components/utf8';
import { BASE_URL, OFFICE } from './fixtures';
import { describeVariants } from './card-variants';

const week: WeeklySummaryProps = {
  via: 'app',
  officeName: OFFICE,
  week: '2026-W48',
  period: '11月23日—11月29日',
  link: `${BASE_URL}/reports/weekly?officeId=office-1&week=2026-W48`,
  uniqueTag: 'office-1 · 2026-W48',
  totals: { due: 42, done: 40, onTime: 38, overdue: 4, unqualified: 2 },
  kinds: [
    { kind: 'complaint', rate: 1, target: 1, onTime: 6, eligible: 6 },
    { kind: 'repair', rate: 0.75, target: 0.8, onTime: 15, eligible: 20 },
    { kind: 'help', rate: 0.875, target: 0.8, onTime: 7, eligible: 8 },
    { kind: 'activity', rate: null, target: 0.2 },
  ],
  satisfactionAvg: 4.625,
  unqualified: [
    { title: '电梯异响', unit: 'B3-1202', kind: 'complaint', staffName: '李强' },
    { title: '厨房下水管漏水', unit: 'A1-0503', kind: 'repair' },
  ],
  overdue: [
    { title: '楼道灯不亮', unit: 'C2-0101', kind: 'repair', staffName: '张敏' },
    { title: '小区篮球赛', unit: '会所', kind: 'activity' },
  ],
  staff: [
    { name: '张敏', assigned: 20, done: 19, onTime: 18, overdue: 1, satisfactionAvg: 4.7 },
    { name: '李强', assigned: 16, done: 15, onTime: 14, overdue: 2, satisfactionAvg: 4.4 },
    { name: '王芳', assigned: 6, done: 6, onTime: 6, overdue: 0, satisfactionAvg: null },
  ],
  awaitingConfirmation: [{ title: '空调滴水', unit: 'B1-0902', kind: 'repair', staffName: '王芳' }],
};

const quiet: WeeklySummaryProps = {
  ...week,
  period: undefined,
  totals: { due: 0, done: 0, onTime: 0, overdue: 0, unqualified: 0 },
  kinds: [],
  satisfactionAvg: null,
  unqualified: [],
  overdue: [],
  staff: [],
  awaitingConfirmation: [],
};

/** An office that also runs construction warranty: one line per project. */
const withWarranty: WeeklySummaryProps = {
  ...week,
  warranty: [
    { project: '滨江花园二期', expiring: '供冷 2028-09-30 到期', repairs: '未完维修 2（到场超时 1）', late: true },
    { project: '城东学校', expiring: '防水 2028-10-15 到期，水电安装 2028-10-15 到期', repairs: '', late: false },
  ],
};

const variants: Record<string, WeeklySummaryProps> = {
  'app message': week,
  'group robot': { ...week, via: 'robot' },
  'a quiet week': quiet,
  'with construction warranty': withWarranty,
};

/** A week with far too much to say: long titles, emoji (surrogate pairs) and CJK everywhere. */
function busyWeek(via: 'app' | 'robot'): WeeklySummaryProps {
  const visits = (n: number, what: string) =>
    Array.from({ length: n }, (_, i) => ({ title: `${what}😀第${i + 1}号楼公共区域设施报修回访事项`, unit: `B${i % 9}-${1000 + i}`, kind: 'repair' as const, staffName: '欧阳志远' }));
  return {
    ...week,
    via,
    officeName: '阳光花园第二物业服务中心（南区）',
    unqualified: visits(300, '不合格'),
    overdue: visits(250, '逾期'),
    staff: Array.from({ length: 80 }, (_, i) => ({ name: `客户专员${i + 1}号`, assigned: 30, done: 28, onTime: 25, overdue: 3, satisfactionAvg: 4.25 })),
    awaitingConfirmation: visits(120, '待确认'),
  };
}

/** True when the text has no lone surrogate half, i.e. encodes to valid UTF-8 unchanged. */
function wellFormed(text: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text) && Buffer.from(text, 'utf8').toString('utf8') === text;
}

function texts(rendered: ReturnType<typeof render>): { wecom: string; dingtalk: string; dingtalkMsg: Record<string, unknown> } {
  if (rendered.wecom.msgtype !== 'markdown' || rendered.dingtalk.kind !== 'notice') throw new Error('expected markdown');
  const msg = rendered.dingtalk.msg as { markdown: { text: string } };
  return { wecom: rendered.wecom.markdown.content, dingtalk: msg.markdown.text, dingtalkMsg: rendered.dingtalk.msg };
}

describe('weekly summary', () => {
  describeVariants(variants, render, {
    via: undefined,
    uniqueTag: (props) => (props.via === 'app' ? props.uniqueTag : undefined),
  });

  it('lists each construction project in a warranty block, a missed deadline highlighted, and no block without projects', () => {
    const { wecom, dingtalk } = texts(render(withWarranty));
    expect(wecom).toContain('**工程保修（2）**');
    expect(wecom).toContain('滨江花园二期：<font color="warning">供冷 2028-09-30 到期；未完维修 2（到场超时 1）</font>');
    expect(wecom).toContain('城东学校：防水 2028-10-15 到期，水电安装 2028-10-15 到期');
    expect(dingtalk).toContain('**供冷 2028-09-30 到期；未完维修 2（到场超时 1）**');
    expect(texts(render(week)).wecom).not.toContain('工程保修');
  });

  it('checks the robot variant as robot bodies (WeCom ≤ 4096 bytes, DingTalk camelCase robot)', () => {
    const rendered = render({ ...week, via: 'robot' });
    expect(checkWecomMessage(rendered.wecom, { via: 'robot' }).errors).toEqual([]);
    expect(checkDingtalkMessage(rendered.dingtalk, { via: 'robot' }).errors).toEqual([]);
  });

  it('names the office, the week, the figures, the visits, each staff member and the link', () => {
    const { wecom, dingtalk } = texts(render(week));
    for (const text of [wecom, dingtalk]) {
      expect(text).toContain('回访周报 2026-W48 · 一号物业服务中心');
      expect(text).toContain('应回访 42 · 完成 40 · 按时 38');
      expect(text).toContain('维修回访：回访率 75%（15/20），目标 80%');
      expect(text).toContain('满意度均分 4.63');
      expect(text).toContain('电梯异响 · B3-1202（投诉回访） · 李强');
      expect(text).toContain('楼道灯不亮 · C2-0101（维修回访）');
      expect(text).toContain('王芳：应访 6 · 完成 6 · 按时 6 · 逾期 0 · 满意度 —');
      expect(text).toContain('空调滴水 · B1-0902');
      expect(text).toContain(`[查看完整报表](${week.link})`);
    }
    expect(wecom).toContain('<font color="warning">未达标</font>');
    expect(dingtalk).toContain('**未达标**');
    expect(dingtalk).toContain('（office-1 · 2026-W48）');
  });

  for (const via of ['app', 'robot'] as const) {
    it(`cuts a long ${via} summary under the byte limits with "…等 N 条", on whole characters`, () => {
      const rendered = render(busyWeek(via));
      const { wecom, dingtalk, dingtalkMsg } = texts(rendered);
      const limit = via === 'app' ? 2048 : 4096;
      expect(utf8Bytes(wecom)).toBeLessThanOrEqual(limit);
      expect(utf8Bytes(JSON.stringify(dingtalkMsg))).toBeLessThanOrEqual(limit);
      // Close to the limit: lists gave way item by item, not wholesale.
      expect(utf8Bytes(wecom)).toBeGreaterThan(limit - 200);
      for (const text of [wecom, dingtalk]) {
        expect(wellFormed(text)).toBe(true);
        expect(text).toContain('…等 300 条');
        expect(text).toContain(`[查看完整报表](${week.link})`);
        expect(text).toContain('满意度均分 4.63');
      }
      if (via === 'app') expect(dingtalk).toContain('（office-1 · 2026-W48）');
      expect(checkWecomMessage(rendered.wecom, { via }).errors).toEqual([]);
      expect(checkDingtalkMessage(rendered.dingtalk, { via, uniqueTag: via === 'app' ? week.uniqueTag : undefined }).errors).toEqual([]);
    });
  }

  it('cuts an absurdly long office name instead of the figures', () => {
    const { wecom, dingtalk, dingtalkMsg } = texts(render({ ...busyWeek('app'), officeName: '🏢'.repeat(400) + '物业'.repeat(400) }));
    expect(utf8Bytes(wecom)).toBeLessThanOrEqual(2048);
    expect(utf8Bytes(JSON.stringify(dingtalkMsg))).toBeLessThanOrEqual(2048);
    expect(wellFormed(wecom) && wellFormed(dingtalk)).toBe(true);
    expect(wecom).toContain('应回访 42 · 完成 40 · 按时 38');
  });

  it('cuts even the fixed lines on a whole character when nothing else gives, keeping the footer whole', () => {
    const digest: Digest = {
      heading: '回访周报',
      blocks: [
        { kind: 'lines', lines: ['😀满意度'.repeat(100)] },
        { kind: 'list', title: '逾期回访', items: ['楼道灯不亮 · C2-0101'] },
      ],
      footer: ['[查看完整报表](https://hf.example.org/r)'],
    };
    for (const dialect of ['wecom', 'dingtalk'] as const) {
      for (let budget = 80; budget < 140; budget++) {
        const text = renderDigest(digest, dialect, (markdown) => utf8Bytes(markdown) <= budget);
        expect(utf8Bytes(text)).toBeLessThanOrEqual(budget);
        expect(wellFormed(text)).toBe(true);
        expect(text.endsWith('[查看完整报表](https://hf.example.org/r)')).toBe(true);
        expect(text).toContain('…');
      }
    }
  });
});
