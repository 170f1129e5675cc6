import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { DomainError } from '@platform/contracts';
import { uuidv7 } from '@platform/event-store';
import type { CaseState, RouteDecision } from '../../domain/case.decider.js';
import { DEPARTMENT_NAMES } from '../../domain/policy.js';
import { caseFor, INTAKE_CASES, withResponseDeadline, type IntakeCases } from '../intake-cases.js';

/** A declined or returned referral: sent to another department, or reported to the same-level government. */
export class RerouteReferralCommand extends Command<CaseState> {
  constructor(
    readonly caseId: string,
    readonly referralId: string,
    readonly route: { department?: string; reportToGovernment?: boolean; reason: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RerouteReferralCommand)
export class RerouteReferralHandler implements ICommandHandler<RerouteReferralCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ caseId, referralId, route: dto, actor }: RerouteReferralCommand): Promise<CaseState> {
    const current = await caseFor(this.intake, actor, caseId, 'cases:reroute');
    if (!dto.department && !dto.reportToGovernment) {
      throw new DomainError('ROUTE_REQUIRED', 'department 或 reportToGovernment 必须填写其一', 422, {
        field: 'department',
      });
    }
    const now = this.intake.now();
    const city = this.intake.tree().at(current.villageCode!, 'city')!;
    const routing = this.intake.policy.asOf('routing', now);
    let route: RouteDecision;
    if (dto.department) {
      const rule = Object.values(routing.content).find((r) => r.department === dto.department);
      route = {
        kind: 'department',
        referralId: uuidv7(),
        department: dto.department,
        departmentName: DEPARTMENT_NAMES[dto.department] ?? dto.department,
        jurisdiction: rule?.level === 'city' ? city.code : current.countyCode!,
      };
    } else {
      const need = current.needs.find((n) =>
        current.referrals.some((r) => r.referralId === referralId && r.needId === n.needId),
      );
      route = withResponseDeadline(
        this.intake,
        { kind: 'government', jurisdiction: current.countyCode!, reason: dto.reason },
        need?.category ?? '*',
        current.urgency,
        now,
      );
    }
    const { state } = await this.intake.cases.handle(
      caseId,
      {
        type: 'RerouteReferral',
        referralId,
        route,
        actor,
        reason: dto.reason,
        now: now.toISOString(),
        policy: { routing: routing.version },
      },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}

/** The window withdraws a referral before it is finished, with a reason. */
export class RevokeCaseReferralCommand extends Command<CaseState> {
  constructor(
    readonly caseId: string,
    readonly referralId: string,
    readonly reason: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RevokeCaseReferralCommand)
export class RevokeCaseReferralHandler implements ICommandHandler<RevokeCaseReferralCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ caseId, referralId, reason, actor }: RevokeCaseReferralCommand): Promise<CaseState> {
    await caseFor(this.intake, actor, caseId, 'cases:revoke-referral');
    const now = this.intake.now();
    const { state } = await this.intake.cases.handle(
      caseId,
      { type: 'RevokeReferral', referralId, reason, actor, now: now.toISOString() },
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}

/** The outcome of a department not on the platform (e.g. human resources), recorded by the window. */
export class RecordExternalOutcomeCommand extends Command<CaseState> {
  constructor(
    readonly caseId: string,
    readonly referralId: string,
    readonly outcome: 'granted' | 'not_eligible',
    readonly note: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RecordExternalOutcomeCommand)
export class RecordExternalOutcomeHandler implements ICommandHandler<RecordExternalOutcomeCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute(c: RecordExternalOutcomeCommand): Promise<CaseState> {
    await caseFor(this.intake, c.actor, c.caseId, 'cases:external-outcome');
    const now = this.intake.now();
    const { state } = await this.intake.cases.handle(
      c.caseId,
      {
        type: 'RecordExternalOutcome',
        referralId: c.referralId,
        outcome: c.outcome,
        note: c.note,
        actor: c.actor,
        now: now.toISOString(),
      },
      { metadata: eventMetadata(c.actor, { now }) },
    );
    return state;
  }
}
