import type { EventStore } from '@platform/event-store';
import type { SealWitness } from '@platform/audit';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';

export const ledgerStream = (caseId: string) => `ledger-${caseId}`;

/**
 * Every department's integration events into oversight's own append-only, hash-chained ledger
 * (one stream per case), with the source's metadata and where the message came from. Runs in the
 * inbox transaction and keeps the source event id, so nothing is recorded twice.
 */
export class LedgerConsumer {
  constructor(
    private readonly store: EventStore,
    private readonly seals: SealWitness,
  ) {}

  async handle(m: IntegrationMessage, context: MessageContext): Promise<void> {
    const { transaction } = context;
    if (this.seals.accepts(m)) await this.seals.handle(m, context);
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
              version: m.sourceVersion,
              position: m.sourcePosition,
              // The source event's hash: audit:verify compares it with the department's store.
              hash: m.sourceHash,
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
