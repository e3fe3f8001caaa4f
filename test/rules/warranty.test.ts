import { describe, expect, it } from 'vitest';
import { DEFAULT_SEASONS, isMonthDay, seasonsCoveredUntil, warrantyEnds, warrantyStart, WarrantyTerms } from '../../src/rules/warranty-clock';
import { cardReminderSlot } from '../../src/rules/warranty-card';
import { warrantyVisitsDue, warrantyVisitWindow } from '../../src/rules/warranty-visits';

const terms = (over: Partial<WarrantyTerms> = {}): WarrantyTerms => ({
  acceptedOn: '2026-12-01',
  countFromNextDay: false,
  designLifeYears: 50,
  otherYears: null,
  seasons: DEFAULT_SEASONS,
  ...over,
});
const endOf = (t: WarrantyTerms) => Object.fromEntries(warrantyEnds(t).map((e) => [e.category, e.endsOn]));

describe('warranty clocks per category', () => {
  it('hold the two worked examples of the API documentation', () => {
    expect(endOf(terms({ acceptedOn: '2024-02-29' })).waterproofing).toBe('2029-02-28');
    expect(endOf(terms({ acceptedOn: '2026-12-01' }))).toMatchObject({ heating: '2029-03-15', cooling: '2028-09-30' });
  });

  it.each([
    // acceptedOn, countFromNextDay, category, endsOn — why
    ['2024-02-29', false, 'electrical_plumbing', '2026-02-28'], // leap day → clamped in a common year
    ['2024-02-29', true, 'waterproofing', '2029-03-01'], // next-day rule: counts from 03-01
    ['2028-02-28', true, 'waterproofing', '2033-02-28'], // next day is 02-29 (leap) → 2033-02-28
    ['2026-01-31', false, 'electrical_plumbing', '2028-01-31'], // month end stays a month end
    ['2026-12-31', true, 'electrical_plumbing', '2029-01-01'], // next day crosses the year
    ['2026-05-10', false, 'structure', '2076-05-10'], // design life 50 years
  ] as const)('accepted %s (next day: %s): %s ends %s', (acceptedOn, countFromNextDay, category, endsOn) => {
    expect(endOf(terms({ acceptedOn, countFromNextDay }))[category]).toBe(endsOn);
  });

  it.each([
    // start, season, second full season ends — why
    ['2026-12-01', DEFAULT_SEASONS.heating!, '2029-03-15'], // inside a season: it does not count
    ['2026-11-15', DEFAULT_SEASONS.heating!, '2028-03-15'], // on a season's first day: covered whole, counts
    ['2026-11-16', DEFAULT_SEASONS.heating!, '2029-03-15'], // a day late: not a full season
    ['2027-03-15', DEFAULT_SEASONS.heating!, '2029-03-15'], // on a season's last day: seasons 27/28 and 28/29
    ['2027-03-16', DEFAULT_SEASONS.heating!, '2029-03-15'], // between seasons
    ['2026-06-01', DEFAULT_SEASONS.cooling!, '2027-09-30'], // cooling, on its first day
    ['2026-09-30', DEFAULT_SEASONS.cooling!, '2028-09-30'], // cooling, on its last day
    ['2026-07-01', { from: '10-01', to: '09-30' }, '2028-09-30'], // a season of a whole year
  ] as const)('counting from %s, two full seasons %o end %s', (start, season, endsOn) => {
    expect(seasonsCoveredUntil(start, season, 2)).toBe(endsOn);
  });

  it('leaves out heating where the region has no heating season, and "other" where nothing else was agreed', () => {
    const south = warrantyEnds(terms({ seasons: { heating: null, cooling: DEFAULT_SEASONS.cooling } }));
    expect(south.map((e) => e.category)).toEqual(['structure', 'waterproofing', 'cooling', 'electrical_plumbing']);
    expect(endOf(terms({ otherYears: 3 })).other).toBe('2029-12-01');
  });

  it('starts the day after acceptance only where the project counts so', () => {
    expect(warrantyStart({ acceptedOn: '2026-12-31', countFromNextDay: true })).toBe('2027-01-01');
    expect(warrantyStart({ acceptedOn: '2026-12-31', countFromNextDay: false })).toBe('2026-12-31');
  });

  it('accepts a season day of some year, 02-29 included, and nothing else', () => {
    expect(['11-15', '02-29', '12-31'].map(isMonthDay)).toEqual([true, true, true]);
    expect(['02-30', '13-01', '1-5', '11/15', ''].map(isMonthDay)).toEqual([false, false, false, false, false]);
  });
});

describe('warranty visits due', () => {
  const visits = { visitEveryMonths: 3, rainyVisit: '05-15', leadDays: 30 };
  const due = warrantyVisitsDue(terms({ acceptedOn: '2026-12-01' }), visits);
  const of = (kind: string) => due.filter((d) => d.kind === kind);

  it('plans periodic visits every N months while the building warranty runs (waterproofing, the longest, to 2031-12-01)', () => {
    const periodic = of('warranty_periodic').map((d) => d.opensOn);
    expect(periodic.slice(0, 3)).toEqual(['2027-03-01', '2027-06-01', '2027-09-01']);
    expect(periodic.at(-1)).toBe('2031-12-01');
    expect(periodic).toHaveLength(20);
  });

  it('plans one rainy-season visit a year inside the period', () => {
    expect(of('warranty_seasonal').map((d) => d.opensOn)).toEqual(['2027-05-15', '2028-05-15', '2029-05-15', '2030-05-15', '2031-05-15']);
  });

  it('opens a pre-expiry visit 30 days before each category ends, the structure included', () => {
    expect(of('warranty_pre_expiry').map((d) => [d.category, d.opensOn])).toEqual([
      ['cooling', '2028-08-31'],
      ['electrical_plumbing', '2028-11-01'],
      ['heating', '2029-02-13'],
      ['waterproofing', '2031-11-01'],
      ['structure', '2076-11-01'],
    ]);
  });

  it('visits once after expiry, three months after the building warranty ended', () => {
    expect(of('warranty_after_expiry')).toEqual([{ kind: 'warranty_after_expiry', opensOn: '2032-03-01' }]);
  });

  it('clamps periodic visits at month end and keeps them in opening order', () => {
    const fromMonthEnd = warrantyVisitsDue(terms({ acceptedOn: '2026-08-31' }), { ...visits, rainyVisit: null });
    expect(fromMonthEnd.filter((d) => d.kind === 'warranty_periodic').slice(0, 2).map((d) => d.opensOn)).toEqual(['2026-11-30', '2027-02-28']);
    const dates = fromMonthEnd.map((d) => d.opensOn);
    expect(dates).toEqual([...dates].sort());
  });
});

describe('a warranty visit\'s window', () => {
  it.each([
    // kind, opensOn, zone, opensAt, closesAt — why
    ['warranty_periodic', '2027-03-01', 'Asia/Shanghai', '2027-02-28T16:00:00.000Z', '2027-03-30T16:00:00.000Z'], // 30 days from local midnight
    ['warranty_seasonal', '2027-05-15', 'Asia/Urumqi', '2027-05-14T18:00:00.000Z', '2027-06-13T18:00:00.000Z'], // the office's zone
    ['warranty_pre_expiry', '2031-11-01', 'Asia/Shanghai', '2031-10-31T16:00:00.000Z', '2031-12-01T16:00:00.000Z'], // to the end of the last covered day (30 lead days)
  ] as const)('%s opening %s in %s runs %s → %s', (kind, opensOn, zone, opensAt, closesAt) => {
    const window = warrantyVisitWindow({ kind, opensOn }, zone, 30);
    expect([window.opensAt.toISOString(), window.closesAt.toISOString()]).toEqual([opensAt, closesAt]);
  });
});

describe('the warranty card reminder that has come', () => {
  it.each([
    // today, slot — accepted 2026-12-01, card due 2027-01-01
    ['2026-11-30', null], // before acceptance
    ['2026-12-01', { slot: 'accepted', on: '2026-12-01' }],
    ['2026-12-24', { slot: 'accepted', on: '2026-12-01' }],
    ['2026-12-25', { slot: 'week_before', on: '2026-12-25' }],
    ['2027-01-01', { slot: 'due', on: '2027-01-01' }],
    ['2027-01-07', { slot: 'due', on: '2027-01-01' }],
    ['2027-01-08', { slot: 'overdue-1', on: '2027-01-08' }],
    ['2027-02-20', { slot: 'overdue-7', on: '2027-02-19' }], // after downtime: only the latest
  ] as const)('on %s: %o', (today, slot) => {
    expect(cardReminderSlot('2026-12-01', '2027-01-01', today)).toEqual(slot);
  });
});
