import type { RenderedMessage } from '../channels/channel';

/**
 * The outbox payload of a group-robot message: the robot body of each platform, keyed by
 * platform (`{wecom, dingtalk}`), so the robot sender (src/channels/group-robot.ts) posts the
 * one its webhook URL belongs to. A card's robot variant carries the WeCom robot body as its
 * `wecom` half and the DingTalk robot body as the `msg` of its `dingtalk` notice.
 */
export function robotBodies(message: RenderedMessage): { wecom: Record<string, unknown>; dingtalk: Record<string, unknown> } {
  if (message.dingtalk.kind !== 'notice') throw new Error('a robot message must be a notice, not an interactive card');
  return { wecom: message.wecom as Record<string, unknown>, dingtalk: message.dingtalk.msg };
}
