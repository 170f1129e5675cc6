export * from './decider-spec.js';
export * from './infrastructure.js';
export * from './event-store.contract.js';
export * from './otlp-receiver.js';
