export * from './merkle.js';
export * from './seal-keys.js';
export * from './log-sealer.js';
export * from './audit.migrations.js';
export * from './seal-witness.js';
export * from './verify-department.js';
export * from './cross-check.js';
