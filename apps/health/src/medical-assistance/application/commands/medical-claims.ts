import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import type { PolicyVersion } from '@platform/policy';
import {
  standingOn,
  type CategoryFactData,
  type CategoryFactKind,
  type ClaimAssessedData,
  type GrantedCategory,
  type YearStanding,
} from '../../domain/medical-assistance.decider.js';
import {
  countyWithin,
  HEALTH_ASSISTANCE,
  officerOf,
  personKeyOf,
  residentIdOf,
  tableVersionOf,
  type HealthAssistance,
} from '../health-assistance.js';

export interface RecordClaimRequest {
  /** 结算单号: the settlement's number, which makes a claim sent twice one claim. */
  claimId: string;
  person: { idNumber: string; name: string; householdId?: string | null };
  countyCode: string;
  serviceDate: string;
  hospital: string;
  seriousIllness: boolean;
  totalCostYuan: number;
  inPolicyCostYuan: number;
  basicInsurancePaidYuan: number;
  criticalIllnessInsurancePaidYuan: number;
}

export interface RecordedClaim {
  claim: ClaimAssessedData;
  /** The person's year after the claim: what remains of the cap. */
  standing: YearStanding;
  /** The same settlement was already assessed: nothing new was recorded. */
  alreadyAssessed: boolean;
}

/** The `medical-assistance` version in force on the date of service, or 422 naming the date. */
function medicalTableOn(ctx: HealthAssistance, day: string): PolicyVersion<'medical-assistance'> {
  try {
    return ctx.policy.asOf('medical-assistance', day);
  } catch (e) {
    if (e instanceof DomainError && e.code === 'POLICY_MISSING') {
      throw new DomainError(
        'POLICY_MISSING',
        `serviceDate：结算日期 ${day} 没有生效的医疗救助政策参数`,
        422,
        { field: 'serviceDate' },
      );
    }
    throw e;
  }
}

/**
 * 医疗救助核定: a settlement recorded by a health officer of the county that pays it; the decider
 * computes the assistance from the table in force on the date of service, the person's category that
 * day, the year's deductible and cap.
 */
export class RecordMedicalClaimCommand extends Command<RecordedClaim> {
  readonly permission = 'medical-assistance:assess';

  constructor(
    readonly request: RecordClaimRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordMedicalClaimCommand)
export class RecordMedicalClaimHandler implements ICommandHandler<RecordMedicalClaimCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({ request: r, actor, permission }: RecordMedicalClaimCommand): Promise<RecordedClaim> {
    const { ctx } = this;
    const countyCode = countyWithin(ctx, actor, r.countyCode, 'countyCode', permission);
    const now = ctx.now();
    const idNumber = residentIdOf(r.person.idNumber, 'person.idNumber', now);
    const claimId = r.claimId.trim();
    // A settlement is one person's: its number under another person is a mistake, not a second claim.
    const owner = claimId ? await ctx.query.claimOwner(claimId) : null;
    if (owner && owner !== idNumber) {
      throw new DomainError('CLAIM_NUMBER_TAKEN', `claimId：结算单号 ${claimId} 已登记在另一人名下`, 409, {
        field: 'claimId',
      });
    }
    const table = tableVersionOf(medicalTableOn(ctx, r.serviceDate));
    const { state, events } = await ctx.medical.handle(
      personKeyOf(idNumber),
      {
        type: 'AssessClaim',
        claimId,
        person: { idNumber, name: r.person.name, householdId: r.person.householdId ?? null },
        serviceDate: r.serviceDate,
        countyCode,
        hospital: r.hospital,
        seriousIllness: r.seriousIllness,
        totalCostYuan: r.totalCostYuan,
        inPolicyCostYuan: r.inPolicyCostYuan,
        basicInsurancePaidYuan: r.basicInsurancePaidYuan,
        criticalIllnessInsurancePaidYuan: r.criticalIllnessInsurancePaidYuan,
        table,
        officer: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }) },
    );
    const claim = state.claims.find((c) => c.claimId === claimId)!;
    return {
      claim,
      standing: standingOn(state, table, claim.serviceDate),
      alreadyAssessed: events.length === 0,
    };
  }
}

export interface RecordCategoryRequest {
  person: { idNumber: string; name?: string };
  /** The county whose department determined the category (the officer's jurisdiction is checked). */
  countyCode: string;
  kind: CategoryFactKind;
  category: GrantedCategory | null;
  effectiveFrom: string;
  /** The decision it rests on: 临河区乡村振兴局 防止返贫监测对象认定 〔2026〕15号. */
  source: string;
}

/**
 * A category fact an officer records from another department's decision that does not reach the platform
 * as a message (low-income margin, poverty monitoring, impoverished by illness — or a dibao decision on
 * paper). Civil affairs' dibao and special-hardship decisions arrive by themselves.
 */
export class RecordMedicalCategoryCommand extends Command<CategoryFactData> {
  readonly permission = 'medical-assistance:categories';

  constructor(
    readonly request: RecordCategoryRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordMedicalCategoryCommand)
export class RecordMedicalCategoryHandler implements ICommandHandler<RecordMedicalCategoryCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({ request: r, actor, permission }: RecordMedicalCategoryCommand): Promise<CategoryFactData> {
    const { ctx } = this;
    const countyCode = countyWithin(ctx, actor, r.countyCode, 'countyCode', permission);
    const now = ctx.now();
    const idNumber = residentIdOf(r.person.idNumber, 'person.idNumber', now);
    const factId = uuidv7(now.getTime());
    const countyName = ctx.authz.tree.get(countyCode)?.name ?? countyCode;
    const source = r.source?.trim() ? `${countyName} ${r.source.trim()}` : '';
    const { state } = await ctx.medical.handle(
      personKeyOf(idNumber),
      {
        type: 'RecordCategory',
        factId,
        person: { idNumber, name: r.person.name ?? '', householdId: null },
        kind: r.kind,
        category: r.category,
        effectiveFrom: r.effectiveFrom,
        source,
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state.facts.find((f) => f.factId === factId)!;
  }
}
