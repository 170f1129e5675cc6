import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { StoredSeal, SealWitness } from '@platform/audit';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';
import { OVERSIGHT, type OversightContext } from '../oversight-context.js';

export const ledgerStream = (caseId: string) => `ledger-${caseId}`;

/**
 * A department's integration event (or published seal) into oversight's own append-only, hash-chained
 * ledger (one stream per case), with the source's metadata and where the message came from. Runs in the
 * inbox transaction and keeps the source event id, so nothing is recorded twice.
 */
export class RecordLedgerEntryCommand extends Command<void> {
  constructor(
    readonly message: IntegrationMessage,
    readonly context: MessageContext,
    readonly witness: SealWitness,
  ) {
    super();
  }
}

@CommandHandler(RecordLedgerEntryCommand)
export class RecordLedgerEntryHandler implements ICommandHandler<RecordLedgerEntryCommand> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute({ message: m, context, witness }: RecordLedgerEntryCommand): Promise<void> {
    if (witness.accepts(m)) await witness.handle(m, context);
    await this.o.store.appendToStream(
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
      { expectedVersion: 'any', transaction: context.transaction },
    );
  }
}

/** Seal the ledger entries recorded since the last seal, now. */
export class SealLedgerCommand extends Command<StoredSeal | { sealed: 0 }> {}

@CommandHandler(SealLedgerCommand)
export class SealLedgerHandler implements ICommandHandler<SealLedgerCommand> {
  constructor(@Inject(OVERSIGHT) private readonly o: OversightContext) {}

  async execute(): Promise<StoredSeal | { sealed: 0 }> {
    return (await this.o.sealer.seal()) ?? { sealed: 0 };
  }
}
