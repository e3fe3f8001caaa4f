/**
 * The rules of docs/rules.md as pure functions of (data, policy, instant, zone): no database, no
 * clock, no logging. Everything a caller needs is re-exported here; `local-time.ts` stays
 * internal because it deals in luxon types.
 */
export * from './kinds';
export * from './visit-window';
export * from './rate-target';
export * from './always-select';
export * from './sample-work-order';
export * from './visitor-roles';
export * from './choose-specialist';
export * from './quiet-hours';
export * from './reminder-instants';
export * from './resident-ask';
export * from './quarter';
export * from './iso-week';
export * from './archive-dates';
export * from './retention-end';
export * from './unqualified';
export * from './is-late';
export * from './follow-up-rate';
export * from './answer-levels';
export * from './shortcomings';
export * from './accepted-instant';
export * from './working-time';
export * from './customer-cap';
