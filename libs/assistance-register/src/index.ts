export * from './register-list.dto.js';
export * from './register-lookup.dto.js';
export * from './register-queries.js';
export * from './assistance-module.js';
export * from './register-routes.js';
export * from './assistance-context.js';
