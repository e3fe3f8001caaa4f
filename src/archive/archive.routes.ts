import Router from '@koa/router';
import { z } from 'zod';
import { NotFoundError } from '../errors';
import { Clock } from '../clock';
import { quarterParam } from '../http/calendar-params';
import { validate } from '../http/validation';
import { attachment } from '../reports/attachment';
import { QuarterArchiver } from './quarter-archiver.service';


/** `GET /api/archives/:officeId/:quarter.xlsx`: a locked quarter's archive file (404 until locked). */
export function archiveRoutes(archiver: QuarterArchiver, clock: Clock): Router {
  const router = new Router();
  const params = z.object({ officeId: z.string().min(1).max(64), quarter: quarterParam(clock) });
  router.get('/api/archives/:officeId/:quarter.xlsx', async (ctx) => {
    const { officeId, quarter } = validate(params, ctx.params);
    const file = await archiver.file(officeId, quarter);
    if (!file) throw new NotFoundError(`archive of ${officeId} ${quarter}`);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    attachment(ctx, file.fileName);
    ctx.body = file.bytes;
  });
  return router;
}
