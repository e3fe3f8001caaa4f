import { describe, expect, it } from 'vitest';
import { CallRateLimiter } from '../../src/outbox/pacing';

describe('the per-app call rate limiter', () => {
  it('lets 8 DingTalk calls through in a second and makes the 9th wait for the window', async () => {
    let now = 10_000;
    const waits: number[] = [];
    const limiter = new CallRateLimiter({ dingtalk: 8 }, () => now, async (ms) => {
      waits.push(ms);
      now += ms;
    });
    for (let i = 0; i < 8; i++) await limiter.take('dingtalk');
    expect(waits).toEqual([]);
    now += 250;
    await limiter.take('dingtalk');
    expect(waits).toEqual([751]);
    await limiter.take('wecom');
    expect(waits).toHaveLength(1);
  });
});
