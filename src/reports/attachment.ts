import { Context } from 'koa';

/** Sets `Content-Disposition: attachment` with the UTF-8 file name (RFC 6266) and an ASCII fallback. */
export function attachment(ctx: Context, fileName: string): void {
  const ascii = fileName.replace(/[^\x20-\x7e]/g, '_').replace(/["\\]/g, '_');
  ctx.set('Content-Disposition', `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`);
}
