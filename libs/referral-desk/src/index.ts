export * from './domain/deadline-policy.js';
export * from './domain/referral.decider.js';
export * from './domain/working-days.js';
export * from './application/referral-command.service.js';
export * from './read-model/referral-inbox.query.js';
export * from './read-model/referral-inbox.projection.js';
export * from './referral-desk.module.js';
