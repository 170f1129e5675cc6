import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, SYSTEM_ACTOR } from '@platform/auth';
import type { Officer, TemporaryAssistanceCommand } from '../../domain/temporary-assistance.decider.js';
import { TEMPORARY_ASSISTANCE, type TemporaryAssistanceContext } from '../temporary-assistance-context.js';
import { StepHandler, TemporaryAssistanceStepCommand } from './decide-application.js';

/**
 * 补充材料义务 of the green channel: a missing material supplied, an obligation waived by the county, and the
 * deadline watch that marks those still open after their deadline overdue (once each).
 */

/** 补充材料: the household brought a material the urgent decision was made without. */
export class SupplyMaterialCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:obligations';
  constructor(
    applicationId: string,
    readonly obligationNo: number,
    actor: TemporaryAssistanceStepCommand['actor'],
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(SupplyMaterialCommand)
export class SupplyMaterialHandler extends StepHandler<SupplyMaterialCommand> {
  protected decision(c: SupplyMaterialCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return { type: 'SupplyMaterial', obligationNo: c.obligationNo, actor, now };
  }
}

/** 免除补充材料义务: the county only, with its reason. */
export class WaiveObligationCommand extends TemporaryAssistanceStepCommand {
  readonly permission = 'temporary-assistance:waive-obligation';
  constructor(
    applicationId: string,
    readonly obligationNo: number,
    readonly request: { reason: string },
    actor: TemporaryAssistanceStepCommand['actor'],
  ) {
    super(applicationId, actor);
  }
}

@CommandHandler(WaiveObligationCommand)
export class WaiveObligationHandler extends StepHandler<WaiveObligationCommand> {
  protected decision(c: WaiveObligationCommand, actor: Officer, now: string): TemporaryAssistanceCommand {
    return { type: 'WaiveObligation', obligationNo: c.obligationNo, reason: c.request.reason, actor, now };
  }
}

/**
 * The deadline watch: every application with an obligation still open after its deadline (from the read
 * model) is decided on its stream, which marks each such obligation overdue once. Returns how many
 * applications got a mark.
 */
export class MarkOverdueObligationsCommand extends Command<number> {}

@CommandHandler(MarkOverdueObligationsCommand)
export class MarkOverdueObligationsHandler implements ICommandHandler<MarkOverdueObligationsCommand> {
  constructor(@Inject(TEMPORARY_ASSISTANCE) private readonly ctx: TemporaryAssistanceContext) {}

  async execute(): Promise<number> {
    const now = this.ctx.now();
    let marked = 0;
    for (const id of await this.ctx.query.dueForOverdue(now)) {
      const { events } = await this.ctx.applications.handle(
        id,
        { type: 'MarkObligationsOverdue', now: now.toISOString() },
        { metadata: eventMetadata({ ...SYSTEM_ACTOR, department: 'civil-affairs' }, { now }) },
      );
      if (events.length > 0) marked++;
    }
    return marked;
  }
}
