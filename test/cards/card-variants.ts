import { describe, expect, it } from 'vitest';
import type { RenderedMessage } from '../../src/channels/channel';
import { expectValidWecomUpdate, expectWithinLimits } from './within-limits';

/**
 * The checks every card variant gets: rendered with realistic props, both halves pass the
 * limit checker, an answered card is a valid WeCom update, and one snapshot per channel.
 */
export function describeVariants<P>(
  variants: Record<string, P>,
  render: (props: P) => RenderedMessage,
  options: { answered?: (props: P) => boolean; uniqueTag?: (props: P) => string | undefined; via?: 'app' | 'robot' } = {},
): void {
  for (const [name, props] of Object.entries(variants)) {
    describe(name, () => {
      const rendered = render(props);
      it('stays within both platforms’ limits', () => {
        expectWithinLimits(rendered, { via: options.via, uniqueTag: options.uniqueTag?.(props) });
        if (options.answered?.(props)) expectValidWecomUpdate(rendered);
      });
      it('matches the WeCom snapshot', () => {
        expect(rendered.wecom).toMatchSnapshot();
      });
      it('matches the DingTalk snapshot', () => {
        expect(rendered.dingtalk).toMatchSnapshot();
      });
    });
  }
}
