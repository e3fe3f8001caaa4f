import Router from '@koa/router';
import { z } from 'zod';
import { Office, StaffMember } from '../../entities';
import { NotFoundError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { officeInputSchema, OfficeService } from './office.service';

/** An office id is capped like the work-order events that name it. */
const officePath = z.object({ officeId: z.string().min(1).max(64) });

/** `PUT /api/offices/:officeId` and `GET /api/offices/:officeId`. */
export function officeRoutes(offices: OfficeService): Router {
  const router = new Router();
  router.put('/api/offices/:officeId', async (ctx) => {
    const { officeId: id } = validate(officePath, ctx.params);
    const input = validate(officeInputSchema, parseJsonBody(ctx, await readRawBody(ctx)));
    const result = await offices.put(id, input);
    ctx.status = result.created ? 201 : 200;
    ctx.body = officeView(result.office, result.staff);
  });
  router.get('/api/offices/:officeId', async (ctx) => {
    const found = await offices.get(ctx.params.officeId);
    if (!found) throw new NotFoundError(`office ${ctx.params.officeId}`);
    ctx.body = officeView(found.office, found.staff);
  });
  return router;
}

function officeView(office: Office, staff: StaffMember[]) {
  return {
    id: office.id,
    name: office.name,
    timeZone: office.timeZone,
    channel: office.channel,
    rateTargets: office.rateTargets ?? {},
    policy: office.policy ?? {},
    staff: staff.map((s) => ({
      id: s.id,
      name: s.name,
      roles: s.roles,
      department: s.department,
      wecomUserId: s.wecomUserId,
      dingtalkUserId: s.dingtalkUserId,
      active: s.active,
    })),
  };
}
