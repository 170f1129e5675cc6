export * from './data-source.js';
export * from './migrations.js';
export * from './page.js';
export * from './projection-runner.js';
export * from './nest/read-model.module.js';
