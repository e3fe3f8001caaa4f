import Router from '@koa/router';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { Context } from 'koa';
import { CONSOLE_CHARTS_SCRIPT } from './console-charts.script';

/** One file served as it is, with its gzip made once (WeCom's browser on a phone asks for it). */
interface Asset {
  path: string;
  body: Buffer;
  gzipped: Buffer;
}

function asset(path: string, body: Buffer): Asset {
  return { path, body, gzipped: gzipSync(body, { level: 9 }) };
}

/** A short content hash in the path: a new file is a new URL, so it may be cached for a year. */
const versioned = (name: string, body: Buffer): string => `/assets/${name}.${createHash('sha256').update(body).digest('hex').slice(0, 12)}.js`;

/**
 * ECharts' minified "common" build (line, bar, scatter, tooltip, legend, aria) from the
 * installed `echarts` package — never a CDN, nothing fetched at run time — and the console's
 * own chart script, which draws every `[data-chart]` element of the page from its data.
 */
const ECHARTS = (() => {
  const body = readFileSync(require.resolve('echarts/dist/echarts.common.min.js'));
  return asset(versioned('echarts', body), body);
})();
const CHARTS = (() => {
  const body = Buffer.from(CONSOLE_CHARTS_SCRIPT, 'utf8');
  return asset(versioned('console-charts', body), body);
})();

/** The scripts a page with charts loads, in order (both `defer`). */
export const CHART_SCRIPT_PATHS: readonly string[] = [ECHARTS.path, CHARTS.path];

/**
 * `GET /assets/echarts.<hash>.js` and `GET /assets/console-charts.<hash>.js`: immutable, cached
 * for a year by the browser and any proxy (`public, max-age=31536000, immutable`), gzipped when
 * the browser accepts it. No session needed: neither holds anything of anyone's.
 */
export function chartAssetRoutes(): Router {
  const router = new Router();
  for (const file of [ECHARTS, CHARTS]) {
    router.get(file.path, (ctx: Context) => {
      ctx.type = 'application/javascript; charset=utf-8';
      ctx.set('Cache-Control', 'public, max-age=31536000, immutable');
      ctx.set('X-Content-Type-Options', 'nosniff');
      ctx.vary('Accept-Encoding');
      if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
        ctx.set('Content-Encoding', 'gzip');
        ctx.body = file.gzipped;
      } else {
        ctx.body = file.body;
      }
    });
  }
  return router;
}
