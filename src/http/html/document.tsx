import type { ComponentChildren, VNode } from 'preact';
import { renderToString } from 'preact-render-to-string';

/**
 * The one way Huifang writes HTML: pages are preact components (type-checked JSX) rendered to
 * a string on the server. preact escapes every text and attribute value, so a resident's words
 * or a work-order title can never become markup; raw HTML needs an explicit
 * `dangerouslySetInnerHTML`, which only our own constant CSS and scripts use.
 */
export function renderDocument(page: VNode): string {
  return `<!doctype html>${renderToString(page)}`;
}

export interface DocumentProps {
  title: string;
  /** Our own CSS for the page (a constant, never built from input). */
  css?: string;
  /** Kept out of search engines: every page behind a link token or a session. */
  noindex?: boolean;
  /** More elements for the head (e.g. the sandbox's empty icon). */
  head?: ComponentChildren;
  children: ComponentChildren;
}

/** The html/head/body frame every page shares: Chinese, UTF-8, phone-width viewport. */
export function Document({ title, css, noindex, head, children }: DocumentProps): VNode {
  return (
    <html lang="zh-CN">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {noindex ? <meta name="robots" content="noindex" /> : null}
        <title>{title}</title>
        {css ? <style dangerouslySetInnerHTML={{ __html: css }} /> : null}
        {head}
      </head>
      <body>{children}</body>
    </html>
  );
}
