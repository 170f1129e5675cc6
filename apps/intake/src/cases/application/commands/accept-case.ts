import { randomInt } from 'node:crypto';
import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import type { EscalationTable } from '@platform/policy';
import { planRoute, type CaseState } from '../../domain/case.decider.js';
import { newQueryCode } from '../../domain/query-code.js';
import { caseFor, INTAKE_CASES, withResponseDeadline, type IntakeCases } from '../intake-cases.js';

/**
 * 报告制度: the needs to report to the government besides their department, by the escalation table in
 * force — an amount above its threshold, a household flagged at risk of extreme behaviour.
 */
function escalationsOf(intake: IntakeCases, s: CaseState, table: EscalationTable, now: Date) {
  const out: Record<string, { reasons: string[]; jurisdiction: string; respondBy: string | null }> = {};
  for (const n of s.needs) {
    const reasons: string[] = [];
    if (table.requestedAmountAboveYuan > 0 && (n.requestedAmount ?? 0) > table.requestedAmountAboveYuan)
      reasons.push(`申请金额 ${n.requestedAmount} 元超过上报标准 ${table.requestedAmountAboveYuan} 元`);
    if (table.riskOfExtremeBehaviour && s.risk) reasons.push(`存在极端行为风险：${s.risk.note}`);
    if (reasons.length === 0) continue;
    const route = withResponseDeadline(
      intake,
      { kind: 'government', jurisdiction: s.countyCode!, reason: reasons.join('；') },
      n.category,
      s.urgency,
      now,
    );
    out[n.needId] = {
      reasons,
      jurisdiction: s.countyCode!,
      respondBy: route.kind === 'government' ? (route.respondBy ?? null) : null,
    };
  }
  return out;
}

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
    const queryCode = newQueryCode(randomInt);
    const city = this.intake.tree().at(current.villageCode!, 'city')!;
    const routing = this.intake.policy.asOf('routing', now);
    const escalation = this.intake.policy.asOf('escalation', now);
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
        escalations: escalationsOf(this.intake, s, escalation.content, now),
        policy: { routing: routing.version, escalation: escalation.version },
      }),
      { metadata: eventMetadata(actor, { now }) },
    );
    return state;
  }
}
