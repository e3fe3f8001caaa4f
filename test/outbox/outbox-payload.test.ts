import { describe, expect, it } from 'vitest';
import { readPayload } from '../../src/outbox/outbox-payload';

const message = {
  wecom: { msgtype: 'text', text: { content: '回访提醒' } },
  dingtalk: { kind: 'notice', msg: { msgtype: 'text', text: { content: '回访提醒' } } },
};
const cardUpdate = { receipt: { channel: 'wecom', taskId: 'hf_v7_s1' }, responseCode: 'rc_1', replaceText: '已评价' };
const customerLink = { sender: 'zhangsan', externalUserId: 'wmABC', text: '您好', link: { title: '服务回访', desc: '维修', url: 'https://hf.example.org/s/x' } };
const robot = { wecom: { msgtype: 'markdown', markdown: { content: '周报' } }, dingtalk: { msgtype: 'markdown', markdown: { title: '周报', text: '周报' } } };

describe('outbox payloads', () => {
  it('reads rows queued before payloads carried a kind by their shape, so an upgrade sends what was queued', () => {
    expect(readPayload(message, 'wecom')).toEqual({ kind: 'message', ...message });
    expect(readPayload({ cardUpdate }, 'wecom')).toEqual({ kind: 'card_update', cardUpdate });
    expect(readPayload({ customerLink }, 'wecom')).toEqual({ kind: 'customer_link', customerLink });
    expect(readPayload(robot, 'robot')).toEqual({ kind: 'robot', ...robot });
  });

  it('takes a tagged payload as it is, whatever the channel', () => {
    const tagged = { kind: 'card_update', cardUpdate };
    expect(readPayload(tagged, 'dingtalk')).toEqual(tagged);
    expect(readPayload({ kind: 'message', ...message }, 'robot').kind).toBe('message');
  });
});
