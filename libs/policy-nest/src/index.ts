export * from './nest/policy.module.js';
export * from './application/commands/change-policy.js';
export * from './application/queries/policy-queries.js';
