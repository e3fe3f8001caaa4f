import Router from '@koa/router';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { CallComplaints } from './call-complaint';
import { CampaignService } from './campaign.service';

/** `POST /api/campaigns`, `GET /api/campaigns/:id`, `POST /api/visits/:id/complaint` (docs/api.md §4 "Campaigns"). */
export function campaignRoutes(campaigns: CampaignService, complaints: CallComplaints): Router {
  const router = new Router();
  router.post('/api/visits/:id/complaint', async (ctx) => {
    const id = Number(ctx.params.id);
    const { workOrderId, result } = await complaints.file(Number.isSafeInteger(id) && id > 0 ? id : 0, parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.status = result.status === 'accepted' ? 201 : 200;
    ctx.body = { workOrderId, ...result };
  });
  router.post('/api/campaigns', async (ctx) => {
    ctx.body = await campaigns.create(parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.status = 201;
  });
  router.get('/api/campaigns/:id', async (ctx) => {
    ctx.body = await campaigns.get(ctx.params.id);
  });
  return router;
}
