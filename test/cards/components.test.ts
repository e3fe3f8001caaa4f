import { describe, expect, it } from 'vitest';
import { cardIdentity, InvalidCardIdError } from '../../cards/components/card-id';
import type { CardModel } from '../../cards/components/card-model';
import { inlineText } from '../../cards/components/inline-text';
import { formatDueWindow, formatLocalTime } from '../../cards/components/local-time';
import { renderCard } from '../../cards/components/render-card';
import { truncateBytes, truncateChars, utf8Bytes } from '../../cards/components/utf8';

describe('cardIdentity', () => {
  it('uses the caller’s cardId as both the WeCom task_id and the DingTalk outTrackId', () => {
    expect(cardIdentity('hf_8812_sat_1')).toEqual({ taskId: 'hf_8812_sat_1', outTrackId: 'hf_8812_sat_1' });
    expect(cardIdentity('hf_8812_sat_1@u-7')).toEqual({ taskId: 'hf_8812_sat_1@u-7', outTrackId: 'hf_8812_sat_1@u-7' });
  });

  it.each([
    ['', /empty/],
    ['hf_8812 sat', /only 0-9 a-z A-Z _ - @/],
    ['hf_8812.sat', /only 0-9 a-z A-Z _ - @/],
    ['hf_回访_1', /only 0-9 a-z A-Z _ - @/],
    ['a'.repeat(65), /longer than 64 characters \(DingTalk outTrackId\)/],
  ])('refuses %j', (cardId, message) => {
    expect(() => cardIdentity(cardId)).toThrow(InvalidCardIdError);
    expect(() => cardIdentity(cardId)).toThrow(message);
  });

  it('accepts exactly 64 characters', () => {
    expect(cardIdentity('a'.repeat(64)).outTrackId).toHaveLength(64);
  });
});

describe('truncateBytes', () => {
  const text = '回访a😀满意度b'; // 3+3+1+4+3+3+3+1 bytes

  it('never exceeds the budget and never cuts inside a character, at any budget', () => {
    for (let budget = 0; budget <= utf8Bytes(text) + 1; budget++) {
      const cut = truncateBytes(text, budget);
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(budget);
      expect(cut).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
      if (budget >= utf8Bytes(text)) expect(cut).toBe(text);
      else if (cut !== '') expect(cut.endsWith('…')).toBe(true);
    }
  });

  it('keeps an emoji whole or drops it whole', () => {
    expect(truncateBytes(text, 10)).toBe('回访a…'); // 7 + 3: the 4-byte emoji does not fit
    expect(truncateBytes(text, 14)).toBe('回访a😀…');
  });
});

describe('truncateChars', () => {
  it('counts characters, not UTF-16 units', () => {
    expect(truncateChars('😀😀😀😀', 4)).toBe('😀😀😀😀');
    expect(truncateChars('😀😀😀😀😀', 4)).toBe('😀😀😀…');
  });
});

describe('inlineText', () => {
  it('flattens lines and neutralises markdown syntax', () => {
    expect(inlineText(' 电梯*异响*\n[3栋]<b>#1 ')).toBe('电梯＊异响＊ ［3栋］＜b＞＃1');
  });
});

describe('dates on cards', () => {
  it('formats instants on the office’s clock', () => {
    const at = new Date('2026-11-26T16:30:00Z');
    expect(formatLocalTime({ at, zone: 'Asia/Shanghai' })).toBe('11月27日 00:30');
    expect(formatLocalTime({ at, zone: 'Europe/Berlin' })).toBe('11月26日 17:30');
    expect(formatLocalTime({ at, zone: 'Asia/Shanghai' }, true)).toBe('2026年11月27日 00:30');
    expect(formatLocalTime('明天上午')).toBe('明天上午');
  });

  it('shows a window that closes at the end of a day as that day, and midnight openings without a time', () => {
    expect(
      formatDueWindow({ from: new Date('2026-04-09T16:00:00Z'), by: new Date('2026-05-10T15:59:59.999Z'), zone: 'Asia/Shanghai' }),
    ).toBe('4月10日 至 5月10日');
    expect(
      formatDueWindow({ from: new Date('2026-12-30T07:00:00Z'), by: new Date('2027-01-06T15:59:59.999Z'), zone: 'Asia/Shanghai' }),
    ).toBe('2026年12月30日 15:00 至 2027年1月6日');
  });

  it('refuses an unknown zone rather than printing Invalid DateTime', () => {
    expect(() => formatLocalTime({ at: new Date('2026-11-26T07:00:00Z'), zone: 'Mars/Olympus' })).toThrow(RangeError);
  });
});

describe('renderCard', () => {
  const vote: CardModel = {
    cardId: 'hf_1_short_1',
    source: '一号物业服务中心',
    title: '哪些方面需改进',
    questions: [{ key: 'shortcomings', title: '缺点与不足', options: [{ id: 'none', text: '无' }], multiple: true }],
    submit: { text: '提交', key: 'shortcomings_submit' },
  };

  it('refuses rows on a vote card, where WeCom would drop them silently', () => {
    expect(() => renderCard({ ...vote, fields: [{ label: '房号', value: 'B3-1202' }] })).toThrow(/shows only a title, a subtitle and its questions/);
  });

  it('refuses a vote card without submit, and an answering card without cardId', () => {
    expect(() => renderCard({ ...vote, submit: undefined })).toThrow(/needs a submit button/);
    expect(() => renderCard({ ...vote, cardId: undefined })).toThrow(/has no cardId/);
  });

  it('refuses more than six rows on WeCom', () => {
    const fields = Array.from({ length: 7 }, (_, i) => ({ label: `行${i}`, value: 'x' }));
    expect(() => renderCard({ cardId: 'hf_1_x_1', source: 'x', title: 't', fields, actions: [{ kind: 'callback', text: '好', key: 'ok' }] })).toThrow(
      /at most 6 rows/,
    );
  });

  it('refuses a DingTalk work notice without a unique tag', () => {
    expect(() => renderCard({ source: 'x', title: '逾期', body: ['…'] })).toThrow(/needs a uniqueTag/);
  });

  it('keeps a long free-text row within DingTalk’s 1 KB per variable, cutting the longest value', () => {
    const rendered = renderCard({
      cardId: 'hf_1_x_1',
      source: 'x',
      title: 't',
      fields: [
        { label: '房号', value: 'B3-1202' },
        { label: '建议', value: '很长的建议'.repeat(120) },
      ],
      actions: [{ kind: 'callback', text: '好', key: 'ok' }],
    });
    if (rendered.dingtalk.kind !== 'card') throw new Error('expected a card');
    const fields = JSON.parse(rendered.dingtalk.cardParamMap.fields!);
    expect(utf8Bytes(rendered.dingtalk.cardParamMap.fields!)).toBeLessThanOrEqual(1024);
    expect(fields[0]).toEqual({ label: '房号', value: 'B3-1202' });
    expect(fields[1].value.endsWith('…')).toBe(true);
  });
});
