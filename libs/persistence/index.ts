export * from './entities';
export * from './migrations';
export * from './data-source-options';
export * from './migrate';
export * from './case-aggregates';
export * from './case-aggregates-backfill';
export * from './prepared-query';
export * from './query-texts';
