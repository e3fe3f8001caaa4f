import Router from '@koa/router';
import { Context } from 'koa';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Office } from '../../entities';
import { Clock } from '../clock';
import { NotFoundError } from '../errors';
import { validate } from '../http/validation';
import { Logger } from '../log';
import { attachment } from '../reports/attachment';
import { CustomerArchive } from './customer-archive.service';
import { CustomerImport } from './customer-import.service';
import { CUSTOMER_PAGE_POLICY, renderCustomerPage } from './customer-page';
import { spoolUpload } from './upload';

const officePath = z.object({ officeId: z.string().min(1).max(64) });
const customerPath = officePath.extend({ id: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER) });
const archiveQuery = z.object({
  category: z.string().min(1).max(64).optional(),
  cursor: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, 'is not a cursor returned by this API')
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  format: z.enum(['json', 'xlsx']).default('json'),
});

/**
 * Customers (docs/rules.md §8, docs/api.md §4 "Customers"): the import of an inquiry sheet,
 * the archive in pages, one customer, and the archive as a workbook.
 */
export function customerRoutes(deps: { dataSource: DataSource; clock: Clock; log: Logger; defaultTimeZone: string }): Router {
  const imports = new CustomerImport(deps);
  const archive = new CustomerArchive(deps.dataSource, deps.log, deps.defaultTimeZone);
  const officeExists = async (id: string) => {
    if (!(await deps.dataSource.getRepository(Office).existsBy({ id }))) throw new NotFoundError(`office ${id}`);
  };
  const router = new Router();

  router.post('/api/offices/:officeId/customers/import', async (ctx) => {
    const { officeId } = validate(officePath, ctx.params);
    if (!(await deps.dataSource.getRepository(Office).existsBy({ id: officeId }))) {
      ctx.set('Connection', 'close');
      throw new NotFoundError(`office ${officeId}`);
    }
    const file = await spoolUpload(ctx);
    try {
      ctx.body = await imports.run(officeId, file);
    } finally {
      await file.discard();
    }
  });

  const exportXlsx = async (ctx: Context, officeId: string, category: string | undefined) => {
    await officeExists(officeId);
    attachment(ctx, `客户档案-${officeId}${category ? `-${category}` : ''}.xlsx`);
    ctx.type = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    ctx.body = archive.xlsx({ officeId, category });
  };

  router.get('/api/offices/:officeId/customers.xlsx', async (ctx) => {
    const { officeId } = validate(officePath, ctx.params);
    const query = validate(archiveQuery, ctx.query);
    await exportXlsx(ctx, officeId, query.category);
  });

  router.get('/api/offices/:officeId/customers', async (ctx) => {
    const { officeId } = validate(officePath, ctx.params);
    const query = validate(archiveQuery, ctx.query);
    if (query.format === 'xlsx') return exportXlsx(ctx, officeId, query.category);
    await officeExists(officeId);
    ctx.body = await archive.list({ officeId, category: query.category, cursor: query.cursor, limit: query.limit });
  });

  router.get('/api/offices/:officeId/customers/inquiry-shares', async (ctx) => {
    const { officeId } = validate(officePath, ctx.params);
    const query = validate(archiveQuery, ctx.query);
    await officeExists(officeId);
    ctx.body = await archive.inquiryShares({ officeId, category: query.category });
  });

  const customer = async (ctx: Context) => {
    const { officeId, id } = validate(customerPath, ctx.params);
    const found = await archive.get(officeId, id);
    if (!found) throw new NotFoundError(`customer ${id} of office ${officeId}`);
    return found;
  };

  router.get('/api/offices/:officeId/customers/:id', async (ctx) => {
    ctx.body = await customer(ctx);
  });

  // The customer's page, behind the admin token like the rest of /api (docs/api.md).
  router.get('/api/offices/:officeId/customers/:id/page', async (ctx) => {
    const page = renderCustomerPage(await customer(ctx));
    ctx.type = 'html';
    ctx.set('Content-Security-Policy', CUSTOMER_PAGE_POLICY);
    ctx.body = page;
  });
  return router;
}
