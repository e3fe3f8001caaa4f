import type { RenderedMessage } from '../src/channels/channel';
import { inlineText } from './components/inline-text';
import { renderCard } from './components/render-card';

/** Props of a plain text notice to supervisors. */
export interface PlainNoticeProps {
  title: string;
  lines: string[];
  /** Visit id and date (or the message id): DingTalk drops same content once a day. */
  uniqueTag: string;
  /** Optional page to open (the notice becomes a WeCom text card with a link). */
  link?: { text: string; url: string };
  /** Who it is from; defaults to 回访助手. */
  officeName?: string;
}

/**
 * A simple notice for supervisors, e.g. "no specialist in this office for a visit" or
 * "a message to X failed permanently": a WeCom text message (or text card with a link),
 * a DingTalk work notice that carries `uniqueTag`. Text is cut to the platforms' limits.
 */
export function render(props: PlainNoticeProps): RenderedMessage {
  return renderCard({
    source: props.officeName ? inlineText(props.officeName) : '回访助手',
    title: inlineText(props.title),
    body: props.lines.map(inlineText).filter((line) => line !== ''),
    link: props.link,
    uniqueTag: props.uniqueTag,
  });
}
