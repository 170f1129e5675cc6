import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { eventMetadata, type AuthenticatedActor } from '@platform/auth';
import { uuidv7 } from '@platform/event-store';
import type {
  DiseaseEmergencyCommand,
  DiseaseEmergencyState,
  EmergencyReason,
  IdentifiedPatient,
  Patient,
} from '../../domain/disease-emergency.decider.js';
import {
  countyWithin,
  HEALTH_ASSISTANCE,
  officerOf,
  reportFor,
  residentIdOf,
  tableVersionOf,
  type HealthAssistance,
} from '../health-assistance.js';

export interface ReportPatientRequest {
  hospital: { code: string; name: string; countyCode: string };
  patient:
    | { identified: false; description: string }
    | { identified: true; idNumber: string; name: string; householdId?: string | null };
  reason: EmergencyReason;
  admittedOn: string;
  treatment: string;
  emergencyCostYuan: number;
  paidByPatientYuan: number;
}

/**
 * 疾病应急救助报告: a hospital's report of a patient it treated in an emergency who cannot be identified or
 * cannot pay, entered by a health officer of the hospital's county (hospitals have no accounts here).
 */
export class ReportDiseaseEmergencyCommand extends Command<DiseaseEmergencyState> {
  readonly permission = 'disease-emergency:report';

  constructor(
    readonly request: ReportPatientRequest,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(ReportDiseaseEmergencyCommand)
export class ReportDiseaseEmergencyHandler implements ICommandHandler<ReportDiseaseEmergencyCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  async execute({
    request: r,
    actor,
    permission,
  }: ReportDiseaseEmergencyCommand): Promise<DiseaseEmergencyState> {
    const { ctx } = this;
    const countyCode = countyWithin(ctx, actor, r.hospital.countyCode, 'hospital.countyCode', permission);
    const now = ctx.now();
    const patient: Patient = r.patient.identified
      ? {
          identified: true,
          idNumber: residentIdOf(r.patient.idNumber, 'patient.idNumber', now),
          name: r.patient.name,
          householdId: r.patient.householdId ?? null,
        }
      : { identified: false, description: r.patient.description };
    const reportId = uuidv7(now.getTime());
    const { state } = await ctx.emergencies.handle(
      reportId,
      {
        type: 'ReportPatient',
        reportId,
        hospital: { ...r.hospital, countyCode },
        patient,
        reason: r.reason,
        admittedOn: r.admittedOn,
        treatment: r.treatment,
        emergencyCostYuan: r.emergencyCostYuan,
        paidByPatientYuan: r.paidByPatientYuan,
        reportedBy: officerOf(actor),
        now: now.toISOString(),
      },
      { metadata: eventMetadata(actor, { now }), isNew: true },
    );
    return state;
  }
}

/** One step on an existing report: loaded, 404 / 403 checked, decided on the state it was loaded at. */
async function step(
  ctx: HealthAssistance,
  actor: AuthenticatedActor,
  reportId: string,
  permission: string,
  build: (state: DiseaseEmergencyState, now: Date) => DiseaseEmergencyCommand,
): Promise<DiseaseEmergencyState> {
  const known = await reportFor(ctx, actor, reportId, permission);
  const now = ctx.now();
  const { state } = await ctx.emergencies.handle(reportId, (s) => build(s, now), {
    metadata: eventMetadata(actor, { now }),
    known,
  });
  return state;
}

/** 审核: the unpaid cost within the per-case cap of the table in force on the day of admission. */
export class ReviewDiseaseEmergencyCommand extends Command<DiseaseEmergencyState> {
  readonly permission = 'disease-emergency:review';

  constructor(
    readonly reportId: string,
    readonly opinion: string,
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(ReviewDiseaseEmergencyCommand)
export class ReviewDiseaseEmergencyHandler implements ICommandHandler<ReviewDiseaseEmergencyCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  execute(c: ReviewDiseaseEmergencyCommand): Promise<DiseaseEmergencyState> {
    return step(this.ctx, c.actor, c.reportId, c.permission, (s, now) => ({
      type: 'ReviewReport',
      opinion: c.opinion,
      table: tableVersionOf(this.ctx.policy.asOf('disease-emergency', s.report!.admittedOn)),
      officer: officerOf(c.actor),
      now: now.toISOString(),
    }));
  }
}

/** 不予救助: refused with reasons, before payment. */
export class RefuseDiseaseEmergencyCommand extends Command<DiseaseEmergencyState> {
  readonly permission = 'disease-emergency:refuse';

  constructor(
    readonly reportId: string,
    readonly reasons: string[],
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(RefuseDiseaseEmergencyCommand)
export class RefuseDiseaseEmergencyHandler implements ICommandHandler<RefuseDiseaseEmergencyCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  execute(c: RefuseDiseaseEmergencyCommand): Promise<DiseaseEmergencyState> {
    return step(this.ctx, c.actor, c.reportId, c.permission, (_s, now) => ({
      type: 'RefuseReport',
      reasons: c.reasons,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    }));
  }
}

/** 拨付: the approved amount paid to the hospital. */
export class PayDiseaseEmergencyCommand extends Command<DiseaseEmergencyState> {
  readonly permission = 'disease-emergency:pay';

  constructor(
    readonly reportId: string,
    readonly payment: { paymentReference: string; paidOn: string },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(PayDiseaseEmergencyCommand)
export class PayDiseaseEmergencyHandler implements ICommandHandler<PayDiseaseEmergencyCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  execute(c: PayDiseaseEmergencyCommand): Promise<DiseaseEmergencyState> {
    return step(this.ctx, c.actor, c.reportId, c.permission, (_s, now) => ({
      type: 'PayHospital',
      paymentReference: c.payment.paymentReference,
      paidOn: c.payment.paidOn,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    }));
  }
}

/** 身份确认: the patient identified later, so that the register answers for the person. */
export class IdentifyDiseaseEmergencyPatientCommand extends Command<DiseaseEmergencyState> {
  readonly permission = 'disease-emergency:identify';

  constructor(
    readonly reportId: string,
    readonly patient: { idNumber: string; name: string; householdId?: string | null },
    readonly actor: AuthenticatedActor,
  ) {
    super();
  }
}

@CommandHandler(IdentifyDiseaseEmergencyPatientCommand)
export class IdentifyDiseaseEmergencyPatientHandler implements ICommandHandler<IdentifyDiseaseEmergencyPatientCommand> {
  constructor(@Inject(HEALTH_ASSISTANCE) private readonly ctx: HealthAssistance) {}

  execute(c: IdentifyDiseaseEmergencyPatientCommand): Promise<DiseaseEmergencyState> {
    const patient: IdentifiedPatient = {
      idNumber: residentIdOf(c.patient.idNumber, 'patient.idNumber', this.ctx.now()),
      name: c.patient.name,
      householdId: c.patient.householdId ?? null,
    };
    return step(this.ctx, c.actor, c.reportId, c.permission, (_s, now) => ({
      type: 'IdentifyPatient',
      patient,
      officer: officerOf(c.actor),
      now: now.toISOString(),
    }));
  }
}
