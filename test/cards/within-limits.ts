import { expect } from 'vitest';
import type { RenderedMessage } from '../../src/channels/channel';
import { checkRenderedMessage, checkWecomMessage } from '../../cards/components/limits';

/**
 * Asserts both halves of a rendered message pass the limit checker with no errors and no
 * soft-length warnings, printing what failed.
 */
export function expectWithinLimits(
  rendered: RenderedMessage,
  options: { via?: 'app' | 'robot'; uniqueTag?: string } = {},
): void {
  const report = checkRenderedMessage(rendered, options);
  expect({ wecom: report.wecom.errors, dingtalk: report.dingtalk.errors }).toEqual({ wecom: [], dingtalk: [] });
  expect({ wecom: report.wecom.warnings, dingtalk: report.dingtalk.warnings }).toEqual({ wecom: [], dingtalk: [] });
}

/**
 * Asserts the WeCom half is a valid replacement card for `update_template_card` once the
 * channel drops its task_id (docs/wecom.md §3), as the WeCom channel does.
 */
export function expectValidWecomUpdate(rendered: RenderedMessage): void {
  const wecom = rendered.wecom;
  expect(wecom.msgtype).toBe('template_card');
  if (wecom.msgtype !== 'template_card') return;
  const { task_id: _taskId, ...card } = wecom.template_card;
  const report = checkWecomMessage({ msgtype: 'template_card', template_card: card }, { use: 'update' });
  expect(report.errors).toEqual([]);
}
