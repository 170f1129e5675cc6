export * from './register-answerer.js';
export * from './register-rows.js';
export * from './register-projection.js';
export * from './register-entry.columns.js';
