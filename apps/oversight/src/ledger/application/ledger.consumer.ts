import type { EventStore } from '@platform/event-store';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';

export const ledgerStream = (caseId: string) => `ledger-${caseId}`;

/**
 * Every department's integration events into oversight's own append-only, hash-chained ledger
 * (one stream per case), with the source's metadata and where the message came from. Runs in the
 * inbox transaction and keeps the source event id, so nothing is recorded twice.
 */
export class LedgerConsumer {
  constructor(private readonly store: EventStore) {}

  async handle(m: IntegrationMessage, { transaction }: MessageContext): Promise<void> {
    await this.store.appendToStream(
      ledgerStream(m.subject),
      [
        {
          eventId: m.id,
          type: m.type,
          schemaVersion: m.schemaVersion,
          data: m.data,
          metadata: {
            actor: m.actor,
            correlationId: m.correlationId,
            causationId: m.causationId,
            occurredAt: m.time,
            source: {
              department: m.source.split('/').pop(),
              cloudEventSource: m.source,
              stream: m.sourceStream,
              position: m.sourcePosition,
              recordedAt: m.recordedAt,
              topic: m.topic,
              partition: m.partition ?? null,
              offset: m.offset ?? null,
            },
          },
        },
      ],
      { expectedVersion: 'any', transaction },
    );
  }
}
