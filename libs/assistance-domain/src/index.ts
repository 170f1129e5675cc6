export * from './domain/values.js';
export * from './domain/verification.js';
