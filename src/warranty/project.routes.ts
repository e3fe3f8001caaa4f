import Router from '@koa/router';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../errors';
import { parseJsonBody, readRawBody } from '../http/read-body';
import { validate } from '../http/validation';
import { projectInputSchema } from './project-input';
import { ProjectService } from './project.service';
import { projectView } from './project-view';
import { Project } from '../../entities';

/** Project ids leave room for the owner's resident id (`project:<id>`, 64 characters). */
export const PROJECT_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,55}$/;

/** `PUT /api/projects/:projectId` and `GET /api/projects/:projectId`. */
export function projectRoutes(deps: { dataSource: DataSource; projects: ProjectService }): Router {
  const router = new Router();
  router.put('/api/projects/:projectId', async (ctx) => {
    const id = projectIdOf(ctx.params.projectId);
    const input = validate(projectInputSchema, parseJsonBody(ctx, await readRawBody(ctx)));
    const { project, created } = await deps.projects.put(id, input);
    ctx.status = created ? 201 : 200;
    ctx.body = await projectView(deps.dataSource, project);
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
