import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import type { DbExecutor } from '@platform/event-store';
import { standardInForce } from '../../domain/allowance.js';
import type { Area } from '../../domain/allowance.js';
import type {
  DibaoCommand,
  DibaoState,
  HouseholdMember,
  IncomeItem,
} from '../../domain/dibao-application.decider.js';
import { beijingDay } from '../../domain/deadlines.js';
import {
  applicationFor,
  beijingYear,
  DIBAO,
  inTransaction,
  officerOf,
  type DibaoContext,
} from '../dibao-context.js';

export type DocumentType = 'approval' | 'rejection' | 'change' | 'suspension';

const DOCUMENT_CODES: Record<DocumentType, string> = {
  approval: '民保决',
  rejection: '民不保',
  change: '民保变',
  suspension: '民停保',
};

/**
 * 临河区民保决〔2026〕000001号 (保障决定书), 临河区民不保〔2026〕000001号 (不予保障通知书),
 * 临河区民停保〔2026〕000001号 (停保通知书).
 */
export function documentNumberOf(countyName: string, type: DocumentType, year: number, seq: number): string {
  return `${countyName}${DOCUMENT_CODES[type]}〔${year}〕${String(seq).padStart(6, '0')}号`;
}

/**
 * A county decision with its document: the number is taken inside the transaction that appends the
 * decision (a counter row per county, type and year, locked until commit), so a refused or failed
 * decision gives its number back and the numbers have no gaps.
 */
async function decideWithDocument(
  ctx: DibaoContext,
  actor: AuthenticatedActor,
  applicationId: string,
  permission: string,
  type: DocumentType,
  build: (state: DibaoState, documentNumber: string, now: Date) => DibaoCommand,
): Promise<DibaoState> {
  const { state: current } = await applicationFor(ctx, actor, applicationId, permission);
  const county = current.details!.countyCode;
  const countyName = ctx.tree().get(county)?.name ?? county;
  const now = ctx.now();
  return inTransaction(ctx, async (transaction: DbExecutor) => {
    const known = await ctx.applications.load(applicationId, { transaction });
    const seq = await ctx.query.nextDocumentNumber(transaction, county, type, beijingYear(now));
    const number = documentNumberOf(countyName, type, beijingYear(now), seq);
    const { state } = await ctx.applications.handle(applicationId, build(known.state, number, now), {
      metadata: eventMetadata(actor, { now }),
      transaction,
      known,
    });
    return state;
  });
}

/** The county's allowance standard in force on the decision day, and the policy version it came from. */
function standardOnDecisionDay(ctx: DibaoContext, s: DibaoState, now: Date) {
  const day = beijingDay(now);
  const county = s.details!.countyCode;
  const inForce = standardInForce(ctx.policy.history('allowance-standards'), day, county);
  const policy: Record<string, number> = inForce ? { 'allowance-standards': inForce.version } : {};
  return {
    standard: inForce?.standard ?? null,
    policy,
    countyName: ctx.tree().get(county)?.name ?? county,
    day,
  };
}

/** 批准: the allowance from the county's standard in force on the decision day; the 保障决定书. */
export class ApproveApplicationCommand extends Command<DibaoState> {
  readonly permission = 'dibao:decide';

  constructor(
    readonly applicationId: string,
    readonly actor: AuthenticatedActor,
    readonly opinion: string,
  ) {
    super();
  }
}

@CommandHandler(ApproveApplicationCommand)
export class ApproveApplicationHandler implements ICommandHandler<ApproveApplicationCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  execute(c: ApproveApplicationCommand): Promise<DibaoState> {
    const { ctx } = this;
    return decideWithDocument(
      ctx,
      c.actor,
      c.applicationId,
      c.permission,
      'approval',
      (s, documentNumber, now) => {
        return {
          type: 'ApproveApplication',
          opinion: c.opinion,
          documentNumber,
          ...standardOnDecisionDay(ctx, s, now),
          rules: ctx.rules,
          officer: officerOf(c.actor),
          now: now.toISOString(),
        };
      },
    );
  }
}

/** 不予保障: with reasons; the 不予保障通知书 names the right to reconsideration or litigation. */
export class RejectApplicationCommand extends Command<DibaoState> {
  readonly permission = 'dibao:decide';

  constructor(
    readonly applicationId: string,
    readonly actor: AuthenticatedActor,
    readonly reasons: string[],
    readonly opinion: string,
  ) {
    super();
  }
}

@CommandHandler(RejectApplicationCommand)
export class RejectApplicationHandler implements ICommandHandler<RejectApplicationCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  execute(c: RejectApplicationCommand): Promise<DibaoState> {
    return decideWithDocument(
      this.ctx,
      c.actor,
      c.applicationId,
      c.permission,
      'rejection',
      (_s, documentNumber, now) => ({
        type: 'RejectApplication',
        reasons: c.reasons,
        opinion: c.opinion,
        documentNumber,
        rules: this.ctx.rules,
        officer: officerOf(c.actor),
        now: now.toISOString(),
      }),
    );
  }
}

/** 停保: the county stops a recipient's assistance, with reasons; the 停保通知书 names the right to appeal. */
export class SuspendAssistanceCommand extends Command<DibaoState> {
  readonly permission = 'dibao:suspend';

  constructor(
    readonly applicationId: string,
    readonly actor: AuthenticatedActor,
    readonly reasons: string[],
    readonly opinion: string,
  ) {
    super();
  }
}

@CommandHandler(SuspendAssistanceCommand)
export class SuspendAssistanceHandler implements ICommandHandler<SuspendAssistanceCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  execute(c: SuspendAssistanceCommand): Promise<DibaoState> {
    return decideWithDocument(
      this.ctx,
      c.actor,
      c.applicationId,
      c.permission,
      'suspension',
      (_s, documentNumber, now) => ({
        type: 'SuspendAssistance',
        reasons: c.reasons,
        opinion: c.opinion,
        documentNumber,
        rules: this.ctx.rules,
        officer: officerOf(c.actor),
        now: now.toISOString(),
      }),
    );
  }
}

/** 变更: the allowance recomputed from the household as it is now, after a recheck found it changed. */
export class ChangeAllowanceCommand extends Command<DibaoState> {
  readonly permission = 'dibao:change';

  constructor(
    readonly applicationId: string,
    readonly actor: AuthenticatedActor,
    readonly household: HouseholdMember[],
    readonly incomes: IncomeItem[],
    readonly area: Area,
    readonly opinion: string,
  ) {
    super();
  }
}

@CommandHandler(ChangeAllowanceCommand)
export class ChangeAllowanceHandler implements ICommandHandler<ChangeAllowanceCommand> {
  constructor(@Inject(DIBAO) private readonly ctx: DibaoContext) {}

  execute(c: ChangeAllowanceCommand): Promise<DibaoState> {
    const { ctx } = this;
    return decideWithDocument(
      ctx,
      c.actor,
      c.applicationId,
      c.permission,
      'change',
      (s, documentNumber, now) => {
        return {
          type: 'ChangeAllowance',
          household: c.household,
          incomes: c.incomes,
          area: c.area,
          opinion: c.opinion,
          documentNumber,
          ...standardOnDecisionDay(ctx, s, now),
          rules: ctx.rules,
          officer: officerOf(c.actor),
          now: now.toISOString(),
        };
      },
    );
  }
}
