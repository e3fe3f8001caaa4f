import Router from '@koa/router';
import { WARRANTY_CARD_POLICY } from './warranty-card.page';
import { WarrantyCards } from './warranty-card.service';

/** `GET /api/projects/:projectId/card` (the printable card) and `POST …/card/issue`. */
export function warrantyCardRoutes(cards: WarrantyCards): Router {
  const router = new Router();
  router.get('/api/projects/:projectId/card', async (ctx) => {
    const html = await cards.page(ctx.params.projectId);
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', WARRANTY_CARD_POLICY);
    ctx.body = html;
  });
  router.post('/api/projects/:projectId/card/issue', async (ctx) => {
    const project = await cards.issue(ctx.params.projectId);
    ctx.body = { projectId: project.id, issuedAt: project.cardIssuedAt!.toISOString() };
  });
  return router;
}
