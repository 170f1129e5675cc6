import type { IntegrationMessage, MessageHandler } from './integration-message.js';

export interface ConsumeOptions {
  /** Consumer group: one per consuming service and purpose, e.g. `health.referrals`. */
  group: string;
  topics: string[];
  handler: MessageHandler;
  /**
   * The messages the handler has a use for (e.g. referrals addressed to this department). Others are
   * not handled but recorded in the inbox as seen (outcome `ignored`), so that a redelivery is a
   * duplicate and their stream's chain moves past them.
   */
  accepts?: (message: IntegrationMessage) => boolean;
  /** The consuming service's schema, where its inbox lives (and its checkpoints, for the event log). */
  schema: string;
}

export interface ConsumerHandle {
  readonly group: string;
  stop(): Promise<void>;
}

/**
 * Carries integration events between departments. At-least-once delivery; the inbox makes the
 * effect exactly-once; one case's events arrive in order (key = case id).
 */
export interface IntegrationTransport {
  readonly kind: 'kafka' | 'event-log';
  /** Creates topics (and their dead-letter topics unless `deadLetters` is false) where the transport has them. */
  ensureTopics(topics: string[], options?: { deadLetters?: boolean }): Promise<void>;
  /** Publishes and resolves once the broker has acknowledged every message. */
  publish(messages: IntegrationMessage[]): Promise<void>;
  consume(options: ConsumeOptions): Promise<ConsumerHandle>;
  /** Throws when the transport is unreachable; may tell more (each consumer group's state) for /ready. */
  ping(): Promise<void | Record<string, unknown>>;
  close(): Promise<void>;
}

export const INTEGRATION_TRANSPORT = Symbol('INTEGRATION_TRANSPORT');
