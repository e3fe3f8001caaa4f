import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { z } from 'zod';
import { localDate, projectInputSchema } from './project-input';
import { ProjectService } from './project.service';
import { projectView, warrantyVisitView } from './project-view';
import { Project } from '../../entities';

/** Project ids leave room for the owner's resident id (`project:<id>`, 64 characters). */
export const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,55}$/;

/** Only technical visits are made on demand; the others follow the project's terms. */
const technicalVisitSchema = z
  .object({
    kind: z.literal('warranty_technical', { errorMap: () => ({ message: 'must be warranty_technical (the other warranty visits are planned from the terms)' }) }),
    topic: z.string({ required_error: 'is required' }).trim().min(1, 'must not be empty').max(500),
    opensOn: localDate.optional(),
  })
  .strict();

/** `PUT /api/projects/:projectId`, `GET /api/projects/:projectId`, and technical visits on demand. */
export function projectRoutes(deps: { dataSource: DataSource; projects: ProjectService }): Router {
  const router = new Router();
  router.put('/api/projects/:projectId', async (ctx) => {
    const id = projectIdOf(ctx.params.projectId);
    const input = validate(projectInputSchema, parseJsonBody(ctx, await readRawBody(ctx)));
    const { project, created } = await deps.projects.put(id, input);
    ctx.status = created ? 201 : 200;
    ctx.body = await projectView(deps.dataSource, project);
  });
  router.post('/api/projects/:projectId/visits', async (ctx) => {
    const input = validate(technicalVisitSchema, parseJsonBody(ctx, await readRawBody(ctx)));
    ctx.status = 201;
    ctx.body = warrantyVisitView(await deps.projects.addTechnicalVisit(projectIdOf(ctx.params.projectId), input));
  });
  router.get('/api/projects/:projectId', async (ctx) => {
    ctx.body = await projectView(deps.dataSource, await findProject(deps.dataSource, ctx.params.projectId));
  });
  return router;
}

export async function findProject(dataSource: DataSource, id: string): Promise<Project> {
  const project = await dataSource.getRepository(Project).findOneBy({ id });
  if (!project) throw new NotFoundError(`project ${id}`);
  return project;
}

function projectIdOf(raw: string): string {
  if (!PROJECT_ID.test(raw)) throw new NotFoundError(`project ${raw}`);
  return raw;
}
