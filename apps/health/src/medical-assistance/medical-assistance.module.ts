import { type DynamicModule, Module } from '@nestjs/common';
import { assistanceProviders } from '@platform/assistance-register';
import { RECIPIENTS_TOPIC } from '@platform/contracts';
import { VerificationResponderHandlersModule } from '@platform/verification';
import {
  DiseaseEmergencyController,
  HealthRegisterController,
  MedicalAssistanceController,
} from './api/health-assistance.controller.js';
import {
  IdentifyDiseaseEmergencyPatientHandler,
  PayDiseaseEmergencyHandler,
  RefuseDiseaseEmergencyHandler,
  ReportDiseaseEmergencyHandler,
  ReviewDiseaseEmergencyHandler,
} from './application/commands/disease-emergency.js';
import {
  RecordMedicalCategoryHandler,
  RecordMedicalClaimHandler,
} from './application/commands/medical-claims.js';
import { ApplyRecipientCategoryHandler } from './application/commands/recipient-categories.js';
import { HEALTH_ASSISTANCE, type HealthAssistance } from './application/health-assistance.js';
import { diseaseEmergencyStore, medicalAssistanceStore } from './application/health-assistance.stores.js';
import {
  ListDiseaseEmergencyReportsHandler,
  ViewDiseaseEmergencyReportHandler,
} from './application/queries/disease-emergency-queries.js';
import {
  ListMedicalClaimsHandler,
  ViewMedicalPersonHandler,
} from './application/queries/medical-assistance-queries.js';
import {
  ListHealthRegisterHandler,
  LookupHealthRegisterHandler,
} from './application/queries/register-queries.js';
import { RecipientCategoryConsumer } from './application/recipients.consumer.js';
import { healthVerificationAnswerer } from './application/verification-answerer.js';
import { healthAssistanceProjection } from './read-model/health-assistance.projection.js';
import { HealthAssistanceQuery } from './read-model/health-assistance.query.js';
import { healthAssistanceReadModel } from './read-model/health-assistance.read-model.js';

/**
 * Health's own assistance (卫生健康部门救助): medical assistance claims assessed against the person's
 * category and the year's cap, disease-emergency reports paid to hospitals, the register of assistance
 * given and the household-verification answers drawn from it, and civil affairs' recipient categories
 * consumed as dated facts. It shares the health service module (one event store, one relay, one inbox)
 * with the referral desk: see `HealthModule`.
 */
@Module({})
export class MedicalAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: MedicalAssistanceModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [MedicalAssistanceController, DiseaseEmergencyController, HealthRegisterController],
      providers: assistanceProviders(
        {
          department: 'health',
          readModel: healthAssistanceReadModel,
          context: HEALTH_ASSISTANCE,
          contextOf: ({ store, dataSource, authz, accessLog, now, policy }): HealthAssistance => ({
            medical: medicalAssistanceStore(store),
            emergencies: diseaseEmergencyStore(store),
            query: new HealthAssistanceQuery(dataSource),
            authz,
            accessLog,
            policy,
            now,
          }),
          projectionName: 'health-assistance',
          projectionOf: (store) => healthAssistanceProjection(store),
          answererOf: (schema) => healthVerificationAnswerer(schema),
          consumer: {
            group: 'health.medical-assistance.recipients',
            topics: [RECIPIENTS_TOPIC],
            of: (commands) => new RecipientCategoryConsumer(commands),
          },
        },
        [
          RecordMedicalClaimHandler,
          RecordMedicalCategoryHandler,
          ApplyRecipientCategoryHandler,
          ReportDiseaseEmergencyHandler,
          ReviewDiseaseEmergencyHandler,
          RefuseDiseaseEmergencyHandler,
          PayDiseaseEmergencyHandler,
          IdentifyDiseaseEmergencyPatientHandler,
          ListMedicalClaimsHandler,
          ViewMedicalPersonHandler,
          ListDiseaseEmergencyReportsHandler,
          ViewDiseaseEmergencyReportHandler,
          LookupHealthRegisterHandler,
          ListHealthRegisterHandler,
        ],
      ),
    };
  }
}
