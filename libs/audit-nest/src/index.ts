export * from './audit.parts.js';
