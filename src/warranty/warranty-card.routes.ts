import Router from '@koa/router';
import { WarrantyCards } from './warranty-card.service';

/** `GET /api/projects/:projectId/card` (the printable card) and `POST …/card/issue`. */
export function warrantyCardRoutes(cards: WarrantyCards): Router {
  const router = new Router();
  router.get('/api/projects/:projectId/card', async (ctx) => {
    const { html, nonce } = await cards.page(ctx.params.projectId);
    ctx.type = 'html';
    // Our own constant CSS only; no script at all.
    ctx.set('Content-Security-Policy', `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'`);
    ctx.set('Cache-Control', 'no-store');
    ctx.set('X-Content-Type-Options', 'nosniff');
    ctx.body = html;
  });
  router.post('/api/projects/:projectId/card/issue', async (ctx) => {
    const project = await cards.issue(ctx.params.projectId);
    ctx.body = { projectId: project.id, issuedAt: project.cardIssuedAt!.toISOString() };
  });
  return router;
}
