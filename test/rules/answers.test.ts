import { describe, expect, it } from 'vitest';
import {
  ANSWER_LEVELS,
  followUpRate,
  isLate,
  isUnqualified,
  LEVEL_LABELS,
  SATISFACTION_LABELS,
  SHORTCOMING_CODES,
  SHORTCOMING_LABELS,
  SHORTCOMINGS,
  type FollowUpCounts,
  type FollowUpRate,
  type UnqualifiedPolicy,
  type VisitAnswers,
} from '../../src/rules';

describe('answer vocabularies of the visit form (§3)', () => {
  it('labels quality and effect 5 很好, 4 好, 3 一般, 2 差, 1 很差', () => {
    expect(ANSWER_LEVELS.map((level) => `${level} ${LEVEL_LABELS[level]}`)).toEqual(['5 很好', '4 好', '3 一般', '2 差', '1 很差']);
  });

  it('labels satisfaction 5 非常满意, 4 满意, 3 一般, 2 不满意, 1 非常不满意', () => {
    expect(ANSWER_LEVELS.map((level) => `${level} ${SATISFACTION_LABELS[level]}`)).toEqual([
      '5 非常满意',
      '4 满意',
      '3 一般',
      '2 不满意',
      '1 非常不满意',
    ]);
  });

  it('lists the shortcomings with stable codes, in the form order', () => {
    expect(SHORTCOMING_CODES.map((code) => [code, SHORTCOMING_LABELS[code]])).toEqual([
      ['slow_response', '响应慢'],
      ['attitude', '态度'],
      ['quality', '质量'],
      ['communication', '沟通'],
      ['price', '价格'],
      ['other', '其他'],
      ['none', '无'],
    ]);
    expect(SHORTCOMINGS).toEqual(['响应慢', '态度', '质量', '沟通', '价格', '其他', '无']);
  });
});

describe('isUnqualified: any level at 2 or below, or not solved (§3, interpretation)', () => {
  it.each<[string, VisitAnswers, boolean, UnqualifiedPolicy?]>([
    ['all 5 and solved', { quality: 5, effect: 5, satisfaction: 5, solved: true }, false],
    ['all 3 (一般)', { quality: 3, effect: 3, satisfaction: 3 }, false],
    ['quality 2 (差)', { quality: 2, effect: 5, satisfaction: 5 }, true],
    ['effect 2 (差)', { quality: 5, effect: 2, satisfaction: 5 }, true],
    ['satisfaction 2 (不满意)', { quality: 5, effect: 5, satisfaction: 2 }, true],
    ['satisfaction 1 (非常不满意)', { quality: 5, effect: 5, satisfaction: 1 }, true],
    ['all 5 but the problem is not solved', { quality: 5, effect: 5, satisfaction: 5, solved: false }, true],
    ['solved not asked (null)', { quality: 4, effect: 4, satisfaction: 4, solved: null }, false],
    ['nothing answered yet', {}, false],
    ['unanswered items (null) next to a good one', { quality: null, effect: null, satisfaction: 4 }, false],
    ['a threshold of 3 makes 一般 unqualified', { quality: 5, effect: 5, satisfaction: 3 }, true, { threshold: 3 }],
    ['a threshold of 1 lets 差 pass', { quality: 2, effect: 2, satisfaction: 2 }, false, { threshold: 1 }],
  ])('%s → %s', (_name, answers, expected, policy) => {
    expect(isUnqualified(answers, policy)).toBe(expected);
  });

  it.each([0, 6, 2.5])('rejects the level %s', (level) => {
    expect(() => isUnqualified({ quality: level })).toThrow(RangeError);
  });
});

describe('isLate: a visit recorded after its window closed is late (§2)', () => {
  const closesAt = new Date('2026-11-29T15:59:59.999Z');
  it.each<[string, string, boolean]>([
    ['recorded before the close', '2026-11-29T10:00:00.000Z', false],
    ['recorded at 23:59:59.999 local, exactly at the close', '2026-11-29T15:59:59.999Z', false],
    ['recorded at 00:00 local the next day', '2026-11-29T16:00:00.000Z', true],
  ])('%s → %s', (_name, recordedAt, expected) => {
    expect(isLate(new Date(recordedAt), closesAt)).toBe(expected);
  });
});

describe('followUpRate: visits within their window ÷ eligible; late ones done but not on time (§2)', () => {
  it.each<[string, FollowUpCounts, FollowUpRate]>([
    ['7 on time and 1 late of 10', { eligible: 10, onTime: 7, late: 1 }, { done: 0.8, onTime: 0.7 }],
    ['all on time', { eligible: 4, onTime: 4, late: 0 }, { done: 1, onTime: 1 }],
    ['none eligible: no rate rather than 0 % or 100 %', { eligible: 0, onTime: 0, late: 0 }, { done: null, onTime: null }],
    ['eligible but none done', { eligible: 5, onTime: 0, late: 0 }, { done: 0, onTime: 0 }],
  ])('%s', (_name, counts, expected) => {
    expect(followUpRate(counts)).toEqual(expected);
  });

  it.each<FollowUpCounts>([
    { eligible: 2, onTime: 2, late: 1 },
    { eligible: -1, onTime: 0, late: 0 },
    { eligible: 3, onTime: 0.5, late: 0 },
  ])('rejects impossible counts %o', (counts) => {
    expect(() => followUpRate(counts)).toThrow(RangeError);
  });
});
