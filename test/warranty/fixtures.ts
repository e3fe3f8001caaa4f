import { FindOptionsWhere } from 'typeorm';
import { expect } from 'vitest';
import { OutboundMessage } from '../../entities';
import { TestApp } from '../support/app';

/** A project in the shape of docs/api.md, accepted 2026-12-01 in office-1, run by 赵专员 (sp1). */
export function projectBody(patch: Record<string, unknown> = {}) {
  return {
    officeId: 'office-1',
    name: '滨江花园二期',
    acceptedOn: '2026-12-01',
    designLifeYears: 50,
    warrantyLead: 'sp1',
    owner: { name: '滨江置业', phone: '02100000000', wecomUserId: 'binjiang' },
    contractor: { name: '华建集团', address: '上海市浦东新区世纪大道 1 号', phone: '021-55550000', department: '保修部', contact: '周工' },
    ...patch,
  };
}

/** Runs a job through `POST /api/jobs/:name/run` and answers its result (the run must succeed). */
export async function runJob(app: TestApp, name: string): Promise<any> {
  const res = await app.api('POST', `/api/jobs/${name}/run`);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.result;
}

/** The outbox rows matching `where`, oldest first. */
export function outboxRows(app: TestApp, where: FindOptionsWhere<OutboundMessage>): Promise<OutboundMessage[]> {
  return app.db.getRepository(OutboundMessage).find({ where, order: { id: 'ASC' } });
}
