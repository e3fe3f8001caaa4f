import { describe, expect, it } from 'vitest';
import { Document, renderDocument } from '../../src/http/html/document';

describe('the HTML template layer', () => {
  it('escapes text and attributes by default, so input never becomes markup', () => {
    const title = '<script>alert(1)</script>';
    const html = renderDocument(
      <Document title={title}>
        <p data-unit={'"><img src=x onerror=alert(1)>'}>{'住户说：<b>很好</b> & 谢谢'}</p>
      </Document>,
    );
    expect(html.startsWith('<!doctype html><html lang="zh-CN">')).toBe(true);
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;b>很好&lt;/b> &amp; 谢谢');
  });

  it('puts our own CSS in a style element of the head', () => {
    const html = renderDocument(
      <Document title="t" css="body{margin:0}">
        <main />
      </Document>,
    );
    expect(html).toContain('<style>body{margin:0}</style></head>');
  });
});
