import { describe, expect, it } from 'vitest';
import { Project, Visit } from '../../entities';
import { TestApp, useAppWithOffice1 } from '../support/app';
import { projectBody } from './fixtures';

let app: TestApp;
useAppWithOffice1({ now: '2026-12-03T02:00:00Z' }, (started) => (app = started));

describe('PUT/GET /api/projects/:projectId', () => {
  it('saves a project and shows each category end, the card due and its planned visits', async () => {
    const put = await app.api('PUT', '/api/projects/P-1', projectBody());
    expect(put.status, JSON.stringify(put.body)).toBe(201);
    const got = await app.api('GET', '/api/projects/P-1');
    expect(got.status).toBe(200);
    expect(got.body.warranty).toEqual([
      { category: 'structure', endsOn: '2076-12-01' },
      { category: 'waterproofing', endsOn: '2031-12-01' },
      { category: 'heating', endsOn: '2029-03-15' },
      { category: 'cooling', endsOn: '2028-09-30' },
      { category: 'electrical_plumbing', endsOn: '2028-12-01' },
    ]);
    expect(got.body.card).toEqual({ dueBy: '2027-01-01', issuedAt: null, escalatedAt: null });
    expect(got.body.repairs).toEqual([]);
    const kinds = got.body.visits.map((v: { kind: string }) => v.kind);
    expect(kinds.filter((k: string) => k === 'warranty_periodic')).toHaveLength(20); // every 3 months to 2031-12-01
    expect(kinds.filter((k: string) => k === 'warranty_seasonal')).toHaveLength(5); // 15 May 2027–2031
    expect(kinds.filter((k: string) => k === 'warranty_pre_expiry')).toHaveLength(5);
    expect(kinds.filter((k: string) => k === 'warranty_after_expiry')).toHaveLength(1);
    const first = got.body.visits[0];
    expect(first).toMatchObject({ kind: 'warranty_periodic', status: 'planned', dueFrom: '2027-02-28T16:00:00.000Z' });
    // Three months after the last category but the structure ends; the structure's own pre-expiry visit comes last.
    const after = got.body.visits.find((v: { kind: string }) => v.kind === 'warranty_after_expiry');
    expect(after).toMatchObject({ dueFrom: '2032-02-29T16:00:00.000Z' });
    expect(got.body.visits[got.body.visits.length - 1]).toMatchObject({ kind: 'warranty_pre_expiry', category: 'structure' });
    const waterproofing = got.body.visits.find((v: { category?: string }) => v.category === 'waterproofing');
    // 30 days before 2031-12-01, open to the end of that last covered day.
    expect(waterproofing).toMatchObject({ dueFrom: '2031-10-31T16:00:00.000Z', dueBy: '2031-12-01T16:00:00.000Z' });
  });

  it('re-plans idempotently: the same terms again add nothing, changed terms cancel what is no longer due', async () => {
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(201);
    const count = async () => app.db.getRepository(Visit).count({ where: { projectId: 'P-1' } });
    const before = await count();
    expect((await app.api('PUT', '/api/projects/P-1', projectBody())).status).toBe(200);
    expect(await count()).toBe(before);

    const res = await app.api('PUT', '/api/projects/P-1', projectBody({ visitEveryMonths: 6, seasons: { rainyVisit: null } }));
    expect(res.status).toBe(200);
    const live = res.body.visits.filter((v: { status: string }) => v.status !== 'cancelled');
    expect(live.filter((v: { kind: string }) => v.kind === 'warranty_periodic')).toHaveLength(10);
    expect(live.filter((v: { kind: string }) => v.kind === 'warranty_seasonal')).toHaveLength(0);
    expect(res.body.visits.filter((v: { status: string }) => v.status === 'cancelled')).toHaveLength(10 + 5);
  });

  it('makes a southern project without a heating season and with a contract period for "other"', async () => {
    const res = await app.api('PUT', '/api/projects/P-S', projectBody({ acceptedOn: '2024-02-29', otherYears: 3, seasons: { heating: null } }));
    expect(res.status).toBe(201);
    expect(res.body.warranty.map((w: { category: string }) => w.category)).toEqual(['structure', 'waterproofing', 'cooling', 'electrical_plumbing', 'other']);
    expect(res.body.warranty.find((w: { category: string }) => w.category === 'waterproofing').endsOn).toBe('2029-02-28');
    // Entered late: visits whose window closed before the project was saved are not planned.
    expect(res.body.visits.every((v: { dueBy: string }) => v.dueBy > '2026-12-03T02:00:00.000Z')).toBe(true);
  });

  it.each([
    [{ acceptedOn: '2026-12-04' }, 'acceptedOn'],
    [{ acceptedOn: '1999-12-31' }, 'acceptedOn'],
    [{ acceptedOn: '2026-02-30' }, 'acceptedOn'],
    [{ seasons: { heating: { from: '11-15' } } }, 'seasons.heating.to'],
    [{ seasons: { cooling: { from: '6-1', to: '09-30' } } }, 'seasons.cooling.from'],
    [{ officeId: 'office-9' }, 'officeId'],
    [{ warrantyLead: 'nobody' }, 'warrantyLead'],
    [{ designLifeYears: 0 }, 'designLifeYears'],
    [{ contractor: { name: '华建' } }, 'contractor.address'],
  ])('refuses %o with 400 naming %s, and changes nothing', async (patch, field) => {
    const res = await app.api('PUT', '/api/projects/P-1', projectBody(patch));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('invalid_request');
    expect(res.body.error.message).toContain(field);
    expect(await app.db.getRepository(Project).count()).toBe(0);
    expect(await app.db.getRepository(Visit).count()).toBe(0);
  });

  it('answers 404 for a project nobody saved', async () => {
    expect((await app.api('GET', '/api/projects/P-404')).status).toBe(404);
  });
});
