import type { ComponentChildren, VNode } from 'preact';
import { Document, renderDocument } from '../http/html/document';
import { pagePolicy } from '../http/page-security';

/**
 * The console's frame: a header with the sections the person may open and a sign-out button,
 * one column on a phone, wider from 760 px. Its own constant CSS (allowed by hash); scripts
 * only from files of ours (the charts'), never inline.
 */
export const CONSOLE_CSS = `
*{box-sizing:border-box}body{margin:0;font:16px/1.5 -apple-system,"PingFang SC","Microsoft YaHei",sans-serif;background:#f4f5f7;color:#1f2329}
header.bar{background:#1f2329;color:#fff;padding:8px 12px;display:flex;flex-wrap:wrap;align-items:center;gap:8px}
header.bar .who{flex:1 1 auto;font-size:15px}
header.bar nav{display:flex;flex-wrap:wrap;gap:4px}
header.bar a,header.bar button{color:#fff;background:#3b4350;border:0;border-radius:8px;padding:0 14px;min-height:44px;min-width:44px;display:inline-flex;align-items:center;text-decoration:none;font-size:15px}
header.bar a[aria-current]{background:#3370ff}
header.bar form{margin:0}
main{max-width:1100px;margin:0 auto;padding:12px}
h1{font-size:22px;margin:8px 0}h2{font-size:18px;margin:16px 0 6px}
section{background:#fff;border-radius:12px;padding:12px;margin:0 0 12px;overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:15px}th,td{text-align:left;padding:6px 4px;border-bottom:1px solid #eff0f1;vertical-align:top}
th{color:#3b4350;font-weight:600}
meter{width:100%;min-width:60px;height:16px}
.muted{color:#646a73}.late{color:#b3261e;font-weight:600}
.offices{display:flex;flex-wrap:wrap;gap:6px;margin:0 0 8px}
.offices a{display:inline-flex;align-items:center;min-height:48px;min-width:48px;padding:0 12px;border-radius:8px;background:#fff;color:#1f2329;text-decoration:none;border:1px solid #c9cdd4}
.offices a[aria-current]{border-color:#3370ff;color:#1d4ed8;font-weight:600}
.figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:8px}
.figure{background:#f4f5f7;border-radius:10px;padding:8px 10px}.figure b{display:block;font-size:22px}
.signin form{margin:0 0 8px}.signin button,.signin a.button{display:inline-flex;align-items:center;justify-content:center;min-height:48px;width:100%;border-radius:10px;border:0;background:#3370ff;color:#fff;font-size:17px;text-decoration:none;padding:0 12px;margin:0 0 8px}
.signin input{width:100%;min-height:48px;font-size:17px;padding:0 10px;border:1px solid #c9cdd4;border-radius:10px;margin:0 0 8px}
.signin .people button{background:#fff;color:#1f2329;border:1px solid #c9cdd4}
.filters{display:flex;flex-wrap:wrap;gap:8px;align-items:center}
.filters select,.filters input,.filters button,.filters textarea{min-height:48px;min-width:48px;font-size:16px;border:1px solid #c9cdd4;border-radius:8px;background:#fff;padding:0 8px}
.filters button{background:#3370ff;color:#fff;border:0;padding:0 16px}
.filters textarea{width:100%;min-height:88px;padding:8px}
.filters label{display:inline-flex;align-items:center;gap:6px;min-height:48px;padding:0 10px;border:1px solid #c9cdd4;border-radius:8px;background:#fff}
td a{display:inline-flex;align-items:center;min-height:48px;min-width:48px}
ol{padding-left:20px;margin:0}
.chart{width:100%;height:300px}.chart[hidden]{display:none}
.setup fieldset{border:0;margin:0;padding:0;min-width:0}.setup fieldset.group{border-top:1px solid #eff0f1;padding:8px 0 0;margin:0 0 8px}.setup legend{font-weight:600;padding:0}
.field{margin:0 0 12px}.field label{display:block;font-weight:600}.field input[type=text],.field select{width:100%;min-height:48px;font-size:16px;padding:0 10px;border:1px solid #c9cdd4;border-radius:8px;background:#fff}
.field.bad input,.field.bad select{border-color:#b3261e}.problem{color:#b3261e;font-weight:600;margin:4px 0 0}.hint{margin:2px 0 0;font-size:14px}
.choices{display:flex;flex-wrap:wrap;gap:6px}.choices label{display:inline-flex;align-items:center;gap:6px;min-height:48px;padding:0 10px;border:1px solid #c9cdd4;border-radius:8px;font-weight:400}
.setup button{min-height:48px;min-width:48px;font-size:16px;border:0;border-radius:8px;background:#3370ff;color:#fff;padding:0 16px}
ul.plain{list-style:none;padding:0;margin:0}ul.plain li{margin:0 0 6px}.saved{background:#eefbf0;color:#1b6e2c;border-radius:10px;padding:10px 12px;font-weight:600}
.alert{background:#fff0f0;color:#b3261e;border-radius:10px;padding:10px 12px;font-weight:600}
@media (min-width:760px){.columns{display:grid;grid-template-columns:1fr 1fr;gap:12px}}
`;

/** The sign-in page's Content-Security-Policy: its CSS by hash, no script at all. */
export const CONSOLE_POLICY = pagePolicy({ styles: [CONSOLE_CSS] });

/** The signed-in pages' policy: their CSS by hash, script files of ours only (the charts), none inline. */
export const CONSOLE_PAGE_POLICY = pagePolicy({ styles: [CONSOLE_CSS], scriptFiles: true });

export interface NavItem {
  path: string;
  title: string;
  current: boolean;
}

/** A console page with its header (omitted on the sign-in page). */
export function consolePage(title: string, body: VNode, frame?: { who: string; nav: NavItem[] }): string {
  return renderDocument(
    <Document title={`${title} · 回访控制台`} css={CONSOLE_CSS} noindex>
      {frame ? <Bar who={frame.who} nav={frame.nav} /> : null}
      <main>{body}</main>
    </Document>,
  );
}

function Bar({ who, nav }: { who: string; nav: NavItem[] }): VNode {
  return (
    <header class="bar">
      <span class="who" data-who>
        {who}
      </span>
      <nav>
        {nav.map((item) => (
          <a href={item.path} aria-current={item.current ? 'page' : undefined}>
            {item.title}
          </a>
        ))}
      </nav>
      <form method="post" action="/console/sign-out">
        <button type="submit">退出</button>
      </form>
    </header>
  );
}

/** A short page saying what went wrong (403, 404), in the console's frame. */
export function Notice({ title, children }: { title: string; children: ComponentChildren }): VNode {
  return (
    <section>
      <h1>{title}</h1>
      <p>{children}</p>
    </section>
  );
}
