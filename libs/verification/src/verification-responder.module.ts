import {
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type OnModuleInit,
  type Provider,
} from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { verificationTopicOf, type VerifyingDepartment } from '@platform/contracts';
import { EVENT_STORE, type EventStore } from '@platform/event-store';
import {
  INTEGRATION_TRANSPORT,
  SERVICE_SCHEMA,
  type ConsumerHandle,
  type IntegrationMessage,
  type IntegrationTransport,
} from '@platform/messaging';
import { VERIFICATION_ANSWERER, type VerificationAnswerer } from './application/answerer.port.js';
import { AnswerVerificationCommand, AnswerVerificationHandler } from './application/answer-verification.js';
import { answerStore, VerificationResponders } from './application/verification-responders.js';

/** The responder's command handler and registry, once per process whatever the number of departments. */
@Module({
  providers: [VerificationResponders, AnswerVerificationHandler],
  exports: [VerificationResponders],
})
export class VerificationResponderHandlersModule {}

const REQUESTED = 'civil-affairs.VerificationRequested';
const RESPONDER_DEPARTMENT = Symbol('VERIFICATION_RESPONDER_DEPARTMENT');

/**
 * Consumes civil affairs' verification requests and answers each once, from the department's register.
 */
@Injectable()
class VerificationResponderLifecycle implements OnModuleInit, OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger: Logger;
  private consumer: ConsumerHandle | null = null;

  constructor(
    @Inject(RESPONDER_DEPARTMENT) private readonly department: VerifyingDepartment,
    @Inject(VERIFICATION_ANSWERER) private readonly answerer: VerificationAnswerer,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(VerificationResponders) private readonly responders: VerificationResponders,
    @Inject(SERVICE_SCHEMA) private readonly schema: string,
    @Inject(INTEGRATION_TRANSPORT) private readonly transport: IntegrationTransport,
    @Inject(CommandBus) private readonly commands: CommandBus,
  ) {
    this.logger = new Logger(`VerificationResponder:${department}`);
  }

  onModuleInit(): void {
    if (this.answerer.department !== this.department) {
      throw new Error(`The ${this.answerer.department} answerer cannot answer for ${this.department}`);
    }
    this.responders.register({
      department: this.department,
      answerer: this.answerer,
      answers: answerStore(this.department, this.store),
    });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.consumer = await this.transport.consume({
      group: `${this.department}.verification-responder`,
      topics: [verificationTopicOf('civil-affairs')],
      schema: this.schema,
      accepts: (m: IntegrationMessage) => m.type === REQUESTED,
      handler: async (m, { transaction }) => {
        const d = m.data as {
          verificationId: string;
          members: Array<{ idNumber: string }>;
          asOf: string;
        };
        await this.commands.execute(
          new AnswerVerificationCommand(
            this.department,
            {
              verificationId: d.verificationId,
              memberIdNumbers: d.members.map((x) => x.idNumber),
              asOf: d.asOf,
            },
            { transaction, correlationId: m.correlationId, causationId: m.id },
          ),
        );
      },
    });
    this.logger.log('answering household verifications');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.consumer?.stop();
  }
}

/**
 * What a department's capability module adds to answer household verifications: it also provides
 * `VERIFICATION_ANSWERER` (reading its register) and imports `VerificationResponderHandlersModule` and
 * the department's service module (event store, inbox, transport).
 */
export function verificationResponderProviders(department: VerifyingDepartment): Provider[] {
  return [{ provide: RESPONDER_DEPARTMENT, useValue: department }, VerificationResponderLifecycle];
}
