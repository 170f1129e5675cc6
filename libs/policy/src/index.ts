export * from './domain/policy-tables.js';
export * from './domain/policy-table.decider.js';
export * from './domain/working-days.js';
export * from './data/calendar.data.js';
export * from './data/defaults.data.js';
export * from './application/policy-tables.js';
