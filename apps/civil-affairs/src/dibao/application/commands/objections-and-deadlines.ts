import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import { currentCorrelationId } from '@platform/config';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import { NOTICE_NAMES } from '../../domain/dibao-application.decider.js';
import { beijingDay, workingDaysFrom } from '../../domain/deadlines.js';
import { DIBAO, type DibaoContext } from '../dibao-context.js';

export interface ObjectionReceipt {
  reference: string;
  objectionId: string;
  notice: string;
  message: string;
}

/**
 * 异议: anyone may object to an application on public notice, from the public page, without an account
 * (contact optional). The application pauses until the county has decided; the objector keeps a reference.
 */
export class FileObjectionCommand extends Command<ObjectionReceipt> {
  constructor(
    readonly applicationId: string,
    readonly content: string,
    readonly contact: string | null,
  ) {
    super();
  }
}

@CommandHandler(FileObjectionCommand)
export class FileObjectionHandler implements ICommandHandler<FileObjectionCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute(c: FileObjectionCommand): Promise<ObjectionReceipt> {
    const { ctx } = this;
    const known = await ctx.applications.load(c.applicationId);
    if (known.state.status === 'none') {
      throw new DomainError('APPLICATION_NOT_FOUND', '未找到该公示对象，请核对公示信息', 404);
    }
    const now = ctx.now();
    const objectionId = uuidv7(now.getTime());
    const reference = `YY${beijingDay(now).replace(/-/g, '')}-${objectionId.slice(-6).toUpperCase()}`;
    const calendar = ctx.policy.asOf('calendar', now).content;
    const { state } = await ctx.applications.handle(
      c.applicationId,
      {
        type: 'FileObjection',
        objectionId,
        reference,
        content: c.content,
        contact: c.contact,
        deadline: workingDaysFrom(now, ctx.rules.objectionWorkingDays, calendar),
        now: now.toISOString(),
      },
      {
        // The public has no account: the event says so, and where the objection was raised.
        metadata: {
          actor: {
            id: 'public',
            role: 'public',
            department: 'civil-affairs',
            jurisdiction: known.state.details!.villageCode,
          },
          correlationId: currentCorrelationId() ?? uuidv7(),
          causationId: null,
          occurredAt: now.toISOString(),
        },
        known,
      },
    );
    const objection = state.objections.find((o) => o.objectionId === objectionId)!;
    return {
      reference,
      objectionId,
      notice: NOTICE_NAMES[objection.notice],
      message: `已收到您的异议（编号 ${reference}），旗县区民政部门将在 ${ctx.rules.objectionWorkingDays} 个工作日内复核并作出决定。`,
    };
  }
}

/** The deadline watch: each missed step marked once (and published as a referral overdue). */
export class MarkOverdueDibaoApplicationsCommand extends Command<number> {}

@CommandHandler(MarkOverdueDibaoApplicationsCommand)
export class MarkOverdueDibaoApplicationsHandler implements ICommandHandler<MarkOverdueDibaoApplicationsCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute(): Promise<number> {
    const now = this.ctx.now();
    const ids = await this.ctx.query.dueForOverdue(now);
    let marked = 0;
    for (const id of ids) {
      const { events } = await this.ctx.applications.handle(
        id,
        { type: 'MarkOverdue', now: now.toISOString() },
        { metadata: eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now }) },
      );
      if (events.length > 0) marked++;
    }
    return marked;
  }
}

/**
 * Step deadlines counted into a year whose calendar was not loaded yet (weekends only) are counted again
 * once it is: one event per application whose deadlines it touches. Run by the deadline watch.
 */
export class RecountDibaoDeadlinesCommand extends Command<number> {}

@CommandHandler(RecountDibaoDeadlinesCommand)
export class RecountDibaoDeadlinesHandler implements ICommandHandler<RecountDibaoDeadlinesCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  async execute(): Promise<number> {
    const now = this.ctx.now();
    const calendar = this.ctx.policy.asOf('calendar', now);
    const ids = await this.ctx.query.provisionalDeadlines(Object.keys(calendar.content.years));
    let recounted = 0;
    for (const id of ids) {
      const { events } = await this.ctx.applications.handle(
        id,
        {
          type: 'RecountDeadlines',
          calendar: calendar.content,
          calendarVersion: calendar.version,
          now: now.toISOString(),
        },
        { metadata: eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now }) },
      );
      if (events.length > 0) recounted++;
    }
    return recounted;
  }
}
