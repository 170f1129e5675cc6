import { randomInt } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import { planRoute, type CaseState } from '../../domain/case.decider.js';
import { caseFor, INTAKE_CASES, withResponseDeadline, type IntakeCases } from '../intake-cases.js';

/** 受理 (township window only): the acceptance notice, and each need referred by the routing rules. */
export class AcceptCaseCommand extends Command<CaseState> {
  constructor(
    readonly caseId: string,
    readonly actor: AuthenticatedActor,
    /** The window's contact phone, told to the departments with each referral. */
    readonly contactPhone: string | null = null,
  ) {
    super();
  }
}

@CommandHandler(AcceptCaseCommand)
export class AcceptCaseHandler implements ICommandHandler<AcceptCaseCommand> {
  constructor(@Inject(INTAKE_CASES) private readonly intake: IntakeCases) {}

  async execute({ caseId, actor, contactPhone }: AcceptCaseCommand): Promise<CaseState> {
    const current = await caseFor(this.intake, actor, caseId, 'cases:accept');
    const now = this.intake.now();
    const year = new Date(now.getTime() + 8 * 3600_000).getUTCFullYear();
    const documentNumber = `受理-${current.townshipCode!.slice(0, 9)}-${year}-${String(await this.intake.query.nextDocumentSequence()).padStart(6, '0')}`;
    const queryCode = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const city = this.intake.tree().at(current.villageCode!, 'city')!;
    const routing = this.intake.policy.asOf('routing', now);
    const { state } = await this.intake.cases.handle(
      caseId,
      (s) => ({
        type: 'AcceptCase',
        actor,
        officer: { name: actor.name, phone: contactPhone },
        now: now.toISOString(),
        notice: { documentNumber, queryCode },
        routes: Object.fromEntries(
          s.needs.map((n) => [
            n.needId,
            withResponseDeadline(
              this.intake,
              planRoute(n, routing.content, { countyCode: s.countyCode!, cityCode: city.code }, () =>
                uuidv7(),
              ),
              n.category,
              s.urgency,
              now,
            ),
          ]),
        ),
        policy: { routing: routing.version },
      }),
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}
