import type { RenderedMessage } from '../../src/channels/channel';
import type { CardModel } from './card-model';
import { toDingtalk } from './to-dingtalk';
import { toWecom } from './to-wecom';

/**
 * Renders one card model for both platforms at once ("Render, then send"): the office's
 * channel picks its half. Pure: no clock, no I/O.
 */
export function renderCard(model: CardModel): RenderedMessage {
  return { wecom: toWecom(model), dingtalk: toDingtalk(model) };
}
