import { EntityManager } from 'typeorm';
import { Office } from '../../entities';
import { NotFoundError } from '../errors';

/** The office a report is for; 404 `not_found` when there is none by that id. */
export async function findOffice(manager: EntityManager, officeId: string): Promise<Office> {
  const office = await manager.findOneBy(Office, { id: officeId });
  if (!office) throw new NotFoundError(`office ${officeId}`);
  return office;
}
