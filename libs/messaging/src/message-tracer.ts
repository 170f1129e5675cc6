import type { IntegrationMessage } from './integration-message.js';

/**
 * Where the transports report spans (README, "Operations", "Traces"). Implemented by the service's
 * tracing when an OTLP endpoint is configured; absent otherwise, and then nothing is measured.
 */
export interface MessageTracer {
  /** Starts the span of one message's handling by a consumer group; the function returned ends it. */
  consume(
    message: IntegrationMessage,
    group: string,
    transport: 'kafka' | 'event-log',
  ): (outcome: string, error?: string) => void;
  /** Starts the span of one message's publication; its `traceparent` travels with the message. */
  publish(message: IntegrationMessage): { traceparent: string; end(error?: string): void };
}
