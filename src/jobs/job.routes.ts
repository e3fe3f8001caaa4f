import Router from '@koa/router';
import { DomainError } from '../errors';
import { JobRunner } from './job-runner';

/** `POST /api/jobs/:name/run` runs a job now and answers what it did. */
export function jobRoutes(runner: JobRunner): Router {
  const router = new Router();
  router.post('/api/jobs/:name/run', async (ctx) => {
    const name = ctx.params.name;
    if (!runner.has(name)) {
      throw new DomainError('unknown_job', `no job named "${name}"; jobs: ${runner.names().join(', ')}`, 404);
    }
    const result = await runner.runNow(name);
    ctx.status = result.status === 'failed' ? 500 : 200;
    ctx.body = result;
  });
  return router;
}
