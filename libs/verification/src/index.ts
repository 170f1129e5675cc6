export * from './application/answerer.port.js';
export * from './application/answer-verification.js';
export * from './application/verification-responders.js';
export * from './domain/answer.decider.js';
export * from './verification-responder.module.js';
