import Router from '@koa/router';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { CampaignService } from './campaign.service';

/** `POST /api/campaigns`, `GET /api/campaigns/:id` (docs/api.md §4 "Campaigns"). */
export function campaignRoutes(campaigns: CampaignService): Router {
  const router = new Router();
  router.post('/api/campaigns', async (ctx) => {
    ctx.body = await campaigns.create(parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.status = 201;
  });
  router.get('/api/campaigns/:id', async (ctx) => {
    ctx.body = await campaigns.get(ctx.params.id);
  });
  return router;
}
