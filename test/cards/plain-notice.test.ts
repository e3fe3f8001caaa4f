import { describe, expect, it } from 'vitest';
import { render, type PlainNoticeProps } from '../../cards/plain-notice.card';
import { utf8Bytes } from '../../cards/components/utf8';
import { BASE_URL, OFFICE } from './fixtures';
import { describeVariants } from './card-variants';

const variants: Record<string, PlainNoticeProps> = {
  'unassigned visit': {
    title: '回访无人负责',
    lines: ['维修回访「厨房下水管漏水」（B3-1202）：本管理处没有客户专员，请在后台指派。'],
    uniqueTag: '回访8814 · 2026-11-27',
    officeName: OFFICE,
  },
  'message failed permanently, with a link': {
    title: '消息发送失败',
    lines: ['发给 张敏 的回访提醒多次发送失败，已停止重试。', '原因：该成员不在应用可见范围内。'],
    uniqueTag: '消息5521 · 2026-11-27',
    link: { text: '查看回访', url: `${BASE_URL}/v/8812` },
  },
};

describe('plain notice card', () => {
  describeVariants(variants, render, { uniqueTag: (props) => props.uniqueTag });

  it('is a WeCom text message and a DingTalk work notice with the unique tag', () => {
    const { wecom, dingtalk } = render(variants['unassigned visit']!);
    expect(wecom).toEqual({
      msgtype: 'text',
      text: { content: '回访无人负责\n维修回访「厨房下水管漏水」（B3-1202）：本管理处没有客户专员，请在后台指派。' },
    });
    if (dingtalk.kind !== 'notice') throw new Error('expected a notice');
    expect(JSON.stringify(dingtalk.msg)).toContain('回访8814 · 2026-11-27');
  });

  it('cuts a very long notice to 2048 bytes on both platforms, keeping the tag', () => {
    const long = render({ title: '批量发送失败', lines: Array.from({ length: 200 }, (_, i) => `第${i + 1}条：发给 住户${i} 的回访卡片发送失败`), uniqueTag: '批次77 · 2026-11-27' });
    if (long.wecom.msgtype !== 'text' || long.dingtalk.kind !== 'notice') throw new Error('unexpected shapes');
    expect(utf8Bytes(long.wecom.text.content)).toBeLessThanOrEqual(2048);
    expect(utf8Bytes(JSON.stringify(long.dingtalk.msg))).toBeLessThanOrEqual(2048);
    expect(JSON.stringify(long.dingtalk.msg)).toContain('批次77 · 2026-11-27');
  });
});
