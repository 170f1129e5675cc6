import type { CommandBus } from '@nestjs/cqrs';
import { DomainError } from '@platform/contracts';
import type { Loaded } from '@platform/event-store';
import {
  loadOncePerBatch,
  MessageRefusedError,
  type BatchContext,
  type IntegrationMessage,
  type MessageContext,
} from '@platform/messaging';
import { REFERRAL_NOT_OWNED, type CaseState, type ReferralTrackedStatus } from '../domain/case.decider.js';
import { RecordReferralProgressCommand } from './commands/record-referral-progress.js';
import { RecordReferralTransferCommand } from './commands/record-referral-transfer.js';
import type { CaseStore } from './intake-cases.js';

const STATUS_OF: Record<string, ReferralTrackedStatus | 'overdue' | null> = {
  ReferralReceived: 'received',
  ReferralAcknowledged: 'acknowledged',
  ReferralAccepted: 'accepted',
  ReferralDeclined: 'declined',
  ReferralCompleted: 'completed',
  ReferralOverdue: 'overdue',
  ReferralProgressNoted: null,
  ReferralReopened: 'accepted',
  // After a grant the assistance itself changes: the window sees the amount in force, or that it stopped.
  DibaoAllowanceChanged: 'completed',
  DibaoAssistanceSuspended: 'completed',
};

/** A department passed the referral to another: recorded and issued there (see `RecordReferralTransferCommand`). */
const TRANSFERRED = 'ReferralTransferred';

/** What a change of a granted assistance means for the referral's outcome as the window reads it. */
function assistanceChange(name: string, d: Record<string, unknown>) {
  if (name === 'DibaoAllowanceChanged') {
    return {
      outcome: 'granted',
      amount: d.monthlyAmount as number,
      service: `保障金变更为每月 ${d.monthlyAmount as number} 元（${d.documentNumber as string}）`,
      reason: null,
    };
  }
  if (name === 'DibaoAssistanceSuspended') {
    return {
      outcome: 'suspended',
      amount: null,
      service: null,
      reason: `已停保（${d.documentNumber as string}）`,
    };
  }
  return null;
}

/**
 * The window sees each referral's state without calling the departments: their integration events
 * are recorded on the case stream (in the inbox transaction, so once per event).
 */
export class ReferralProgressConsumer {
  constructor(
    private readonly commands: CommandBus,
    private readonly cases: CaseStore,
  ) {}

  /** Only the departments' events that change a referral's state on the case. */
  accepts(message: IntegrationMessage): boolean {
    const name = message.type.slice(message.type.indexOf('.') + 1);
    return name === TRANSFERRED || (Object.hasOwn(STATUS_OF, name) && STATUS_OF[name] !== null);
  }

  async handle(message: IntegrationMessage, { transaction, batch }: MessageContext): Promise<void> {
    const [department, name] = [
      message.type.slice(0, message.type.indexOf('.')),
      message.type.slice(message.type.indexOf('.') + 1),
    ];
    if (name === TRANSFERRED) return this.transferred(message, department, transaction, batch);
    const mapped = STATUS_OF[name];
    if (!mapped) return;
    const d = message.data as Record<string, unknown> & { caseId: string; referralId: string };
    const status: ReferralTrackedStatus =
      mapped === 'overdue'
        ? 'issued'
        : mapped === 'completed' && d.outcome === 'returned'
          ? 'returned'
          : mapped;
    const change = assistanceChange(name, d);
    const cases = batch ? await this.casesOf(batch, transaction) : undefined;
    const result = await this.record(message, () =>
      this.commands.execute(
        new RecordReferralProgressCommand(
          {
            caseId: d.caseId,
            referralId: d.referralId,
            department,
            status,
            at: (d.at as string) ?? message.time,
            detail: {
              reason: (d.reason as string) ?? null,
              outcome: (d.outcome as string) ?? null,
              amount: (d.amount as number) ?? null,
              service: (d.service as string) ?? null,
              ...change,
              deadline: mapped === 'overdue' ? (d.deadline as string) : null,
            },
          },
          {
            transaction,
            correlationId: message.correlationId,
            causationId: message.id,
            known: cases?.get(d.caseId),
          },
        ),
      ),
    );
    // What this transaction now holds for the case, for the batch's next event about it.
    cases?.set(d.caseId, result);
  }

  /** The department transferred the referral: the case records it and issues the need to the target. */
  private async transferred(
    message: IntegrationMessage,
    department: string,
    transaction: MessageContext['transaction'],
    batch: BatchContext | undefined,
  ): Promise<void> {
    const d = message.data as {
      caseId: string;
      referralId: string;
      toDepartment: string;
      reason: string;
      at: string;
    };
    const cases = batch ? await this.casesOf(batch, transaction) : undefined;
    const result = await this.record(message, () =>
      this.commands.execute(
        new RecordReferralTransferCommand(
          {
            caseId: d.caseId,
            referralId: d.referralId,
            fromDepartment: department,
            toDepartment: d.toDepartment,
            reason: d.reason,
            at: d.at ?? message.time,
            messageId: message.id,
          },
          {
            transaction,
            correlationId: message.correlationId,
            causationId: message.id,
            known: cases?.get(d.caseId),
          },
        ),
      ),
    );
    cases?.set(d.caseId, result);
  }

  /** A department speaking for a referral it does not hold is refused: dead-lettered, the case unchanged. */
  private async record<T>(message: IntegrationMessage, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (e) {
      if (e instanceof DomainError && e.code === REFERRAL_NOT_OWNED) {
        const { owner } = e.details as { owner: string };
        throw new MessageRefusedError(
          `${message.type} for referral ${String(e.details.referralId)} of case ${message.subject}: the referral belongs to ${owner}`,
        );
      }
      throw e;
    }
  }

  /**
   * Every case the batch's events touch, read in one query on the first event and kept up to date
   * as each is recorded: a batch of events about many cases costs one read, not one per event.
   */
  private casesOf(
    batch: BatchContext,
    transaction: MessageContext['transaction'],
  ): Promise<Map<string, Loaded<CaseState>>> {
    return loadOncePerBatch(batch, 'intake:cases', (messages) =>
      this.cases.loadMany(
        [
          ...new Set(
            messages.filter((m) => this.accepts(m)).map((m) => (m.data as { caseId: string }).caseId),
          ),
        ],
        transaction,
      ),
    );
  }
}
