import { describe, expect, it } from 'vitest';
import { chooseSpecialist, visitorRoles, type Severity, type SpecialistCandidate, type VisitorRoles, type WorkOrderKind } from '../../src/rules';

describe('visitorRoles (docs/rules.md §2, SOP 4.1.3)', () => {
  it.each<[WorkOrderKind, Severity | null | undefined, VisitorRoles]>([
    ['complaint', 'major', { roles: ['manager'], together: false }],
    ['complaint', 'general', { roles: ['dept_head', 'specialist'], together: true }],
    ['complaint', null, { roles: ['dept_head', 'specialist'], together: true }],
    ['complaint', undefined, { roles: ['dept_head', 'specialist'], together: true }],
    ['repair', undefined, { roles: ['specialist'], together: false }],
    ['special_service', undefined, { roles: ['specialist'], together: false }],
    ['help', undefined, { roles: ['specialist'], together: false }],
    ['emergency', undefined, { roles: ['specialist'], together: false }],
    ['activity', undefined, { roles: ['specialist'], together: false }],
    ['other', undefined, { roles: ['specialist'], together: false }],
    ['repair', 'major', { roles: ['specialist'], together: false }],
  ])('a %s (severity %s) is visited by %o', (kind, severity, expected) => {
    expect(visitorRoles(kind, severity)).toEqual(expected);
  });
});

describe('chooseSpecialist', () => {
  it.each<[string, SpecialistCandidate[], string | null]>([
    ['nobody to choose from', [], null],
    ['the only candidate', [{ id: 'u9', openVisits: 40 }], 'u9'],
    ['the fewest open visits', [{ id: 'a', openVisits: 3 }, { id: 'b', openVisits: 1 }, { id: 'c', openVisits: 2 }], 'b'],
    ['a tie goes to the smaller id', [{ id: 'u2', openVisits: 1 }, { id: 'u1', openVisits: 1 }, { id: 'u3', openVisits: 5 }], 'u1'],
    ['ids compare as strings, not numbers ("10" < "9")', [{ id: '9', openVisits: 0 }, { id: '10', openVisits: 0 }], '10'],
    ['fewest open visits beats a smaller id', [{ id: 'a', openVisits: 2 }, { id: 'z', openVisits: 0 }], 'z'],
  ])('%s', (_name, candidates, expected) => {
    expect(chooseSpecialist(candidates)).toBe(expected);
    expect(chooseSpecialist([...candidates].reverse())).toBe(expected);
  });
});
