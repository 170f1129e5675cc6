import { enqueueNotificationsIn, systemEvent } from '@platform/notifications';
import type { IntegrationMessage, MessageContext } from '@platform/messaging';
import type { CaseStore } from '../cases/application/intake-cases.js';
import { NOTIFY_WITHIN_MS } from '../cases/read-model/notification.projection.js';

const OBJECTION_FILED = 'civil-affairs.DibaoObjectionFiled';

/**
 * An objection filed against a dibao public notice (公示异议) goes to the subscribed webhook: civil
 * affairs publishes only ids, so intake names the case by its number. Written in the inbox transaction,
 * so a redelivered message writes nothing more.
 */
export class ObjectionNoticeConsumer {
  constructor(
    private readonly o: {
      cases: CaseStore;
      schema: string;
      webhookUrl: string;
      newId: () => string;
      now: () => Date;
    },
  ) {}

  accepts(message: IntegrationMessage): boolean {
    return message.type === OBJECTION_FILED;
  }

  async handle(message: IntegrationMessage, { transaction }: MessageContext): Promise<void> {
    const now = this.o.now();
    // A consumer group started on an existing topic reads its history: old objections are not news.
    if (now.getTime() - Date.parse(message.time) > NOTIFY_WITHIN_MS) return;
    const d = message.data as {
      caseId: string;
      referralId: string;
      objectionId: string;
      notice: 'first' | 'second';
      at: string;
    };
    const { state } = await this.o.cases.load(d.caseId);
    const caseNumber = state.caseNumber;
    await enqueueNotificationsIn(
      transaction,
      this.o.schema,
      systemEvent('objection_filed', {
        sourceEventId: message.id,
        caseId: d.caseId,
        caseNumber,
        webhook: this.o.webhookUrl,
        summary: `案件 ${caseNumber ?? d.caseId} 的低保/特困${d.notice === 'first' ? '第一次' : '第二次'}公示收到异议，请民政部门核实处理`,
        facts: {
          referralId: d.referralId,
          objectionId: d.objectionId,
          notice: d.notice,
          filedAt: d.at,
          countyCode: state.countyCode,
        },
      }),
      { newId: this.o.newId },
    );
  }
}
