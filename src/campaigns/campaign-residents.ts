import { EntityManager, In, IsNull } from 'typeorm';
import { Resident } from '../../entities';

type Problem = { field: string; message: string };

/** A resident a visit plan visits, with the unit they are visited at (their latest work order's, or the one selected). */
export interface PlannedResident {
  resident: Resident;
  unitId: string | null;
}

/** Ids read per query: well under SQLite's and MySQL's limits on parameters of one statement. */
const CHUNK = 500;

/**
 * The residents a property visit plan (走访计划, docs/rules.md §8.2) selects, in id order: those
 * of the listed units and the listed residents. A unit is known by the office's work orders (the
 * residents who reported from it); an unknown unit or resident, or a selection that finds nobody,
 * is a problem naming its field. Anonymised residents are nobody to visit.
 */
export async function selectResidents(manager: EntityManager, officeId: string, selection: { unitIds?: string[]; ids?: string[] }, problems: Problem[]): Promise<PlannedResident[]> {
  const unitOf = new Map<string, string | null>();
  if (selection.unitIds !== undefined) {
    const rows = await unitResidents(manager, officeId, 'unitId', selection.unitIds);
    const known = new Set(rows.map((r) => r.unitId));
    const unknown = selection.unitIds.filter((u) => !known.has(u));
    if (selection.unitIds.length === 0) problems.push({ field: 'residents.unitIds', message: 'is empty' });
    else if (unknown.length > 0) problems.push({ field: 'residents.unitIds', message: `${unknown.length} are no units of office ${officeId} (first: ${unknown.slice(0, 5).join(', ')})` });
    for (const r of rows) if (r.residentId !== null && !unitOf.has(r.residentId)) unitOf.set(r.residentId, r.unitId);
  }
  if (selection.ids !== undefined) {
    const latest = await unitResidents(manager, officeId, 'residentId', selection.ids);
    for (const id of selection.ids) if (!unitOf.has(id)) unitOf.set(id, latest.find((r) => r.residentId === id)?.unitId ?? null);
  }
  const residents = await findChunked(manager, officeId, [...unitOf.keys()]);
  if (selection.ids !== undefined) {
    const found = new Set(residents.map((r) => r.id));
    const unknown = selection.ids.filter((id) => !found.has(id));
    if (selection.ids.length === 0) problems.push({ field: 'residents.ids', message: 'is empty' });
    else if (unknown.length > 0) problems.push({ field: 'residents.ids', message: `${unknown.length} are not residents of office ${officeId} (first: ${unknown.slice(0, 5).join(', ')})` });
  }
  if (problems.length === 0 && residents.length === 0) problems.push({ field: 'residents', message: `finds no resident of office ${officeId}` });
  return residents.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).map((resident) => ({ resident, unitId: unitOf.get(resident.id) ?? null }));
}

/** (resident, unit) pairs of the office's work orders naming these units or residents, the latest order first. */
async function unitResidents(manager: EntityManager, officeId: string, by: 'unitId' | 'residentId', values: readonly string[]): Promise<Array<{ residentId: string | null; unitId: string | null }>> {
  const rows: Array<{ residentId: string | null; unitId: string | null }> = [];
  for (let i = 0; i < values.length; i += CHUNK) {
    const part = values.slice(i, i + CHUNK);
    rows.push(
      ...((await manager.query(
        `SELECT residentId, unitId FROM work_orders WHERE officeId = ? AND ${by} IN (${part.map(() => '?').join(', ')}) AND unitId IS NOT NULL ORDER BY receivedAt DESC, id DESC`,
        [officeId, ...part],
      )) as Array<{ residentId: string | null; unitId: string | null }>),
    );
  }
  return rows;
}

async function findChunked(manager: EntityManager, officeId: string, ids: readonly string[]): Promise<Resident[]> {
  const found: Resident[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) found.push(...(await manager.findBy(Resident, { officeId, id: In(ids.slice(i, i + CHUNK)), anonymisedAt: IsNull() })));
  return found;
}
