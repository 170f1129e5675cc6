export * from './config.schema.js';
export * from './runtime/bootstrap.js';
export * from './runtime/readiness.registry.js';
export * from './runtime/service-runtime.module.js';
export * from './runtime/tokens.js';
