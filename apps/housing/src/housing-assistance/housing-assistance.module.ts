import { type DynamicModule, Module } from '@nestjs/common';
import { assistanceProviders } from '@platform/assistance-register';
import { RECIPIENTS_TOPIC } from '@platform/contracts';
import { VerificationResponderHandlersModule } from '@platform/verification';
import { HousingAssistanceController } from './api/housing-assistance.controller.js';
import {
  AllocateUnitHandler,
  JoinWaitingListHandler,
  RemoveFromWaitingListHandler,
} from './application/commands/public-rental.js';
import { RecordRecipientCategoryHandler } from './application/commands/recipient-category.js';
import {
  DisburseRentalSubsidyHandler,
  GrantRentalSubsidyHandler,
  RecordSubsidyReviewHandler,
  StopRentalSubsidyHandler,
} from './application/commands/rental-subsidy.js';
import {
  ApproveRenovationHandler,
  CompleteWorksHandler,
  PayRenovationSubsidyHandler,
  RecordAcceptanceHandler,
  RecordAppraisalHandler,
  StartWorksHandler,
} from './application/commands/renovation.js';
import {
  categoryStore,
  HOUSING_ASSISTANCE,
  renovationStore,
  subsidyStore,
  waitingListStore,
  type HousingContext,
} from './application/housing-context.js';
import {
  ListHousingCasesHandler,
  ListHousingRegisterHandler,
  LookupHousingRegisterHandler,
  ViewRenovationHandler,
  ViewRentalSubsidyHandler,
  ViewWaitingListHandler,
} from './application/queries/housing-queries.js';
import { RecipientCategoryConsumer } from './application/recipient-category.consumer.js';
import { HousingCasesQuery } from './read-model/housing-cases.query.js';
import { HousingRegisterAnswerer } from './read-model/housing-register.answerer.js';
import { housingRegisterProjection } from './read-model/housing-register.projection.js';
import { HousingRegisterQuery } from './read-model/housing-register.query.js';
import { housingRegisterReadModel } from './read-model/housing-register.read-model.js';

/**
 * Housing assistance (住房救助) given by the housing department: rural dangerous-house renovation, the
 * public rental housing waiting list, rental subsidies; the register of assistance given (its projection
 * and queries) and the household-verification answers drawn from it; civil affairs' dibao and
 * special-hardship categories consumed as dated facts. It shares the housing service module (one event
 * store, one relay, one inbox) with the referral desk: see `HousingModule`.
 */
@Module({})
export class HousingAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: HousingAssistanceModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [HousingAssistanceController],
      providers: assistanceProviders(
        {
          department: 'housing',
          readModel: housingRegisterReadModel,
          context: HOUSING_ASSISTANCE,
          contextOf: ({ store, dataSource, authz, accessLog, now, policy }): HousingContext => ({
            renovations: renovationStore(store),
            waitingLists: waitingListStore(store),
            subsidies: subsidyStore(store),
            categories: categoryStore(store),
            store,
            register: new HousingRegisterQuery(dataSource),
            cases: new HousingCasesQuery(dataSource),
            authz,
            accessLog,
            now,
            policy,
          }),
          projectionName: 'housing-register',
          projectionOf: (store) => housingRegisterProjection(store),
          answererOf: (schema) => new HousingRegisterAnswerer(schema),
          consumer: {
            group: 'housing.housing-assistance.recipients',
            topics: [RECIPIENTS_TOPIC],
            of: (commands) => new RecipientCategoryConsumer(commands),
          },
        },
        [
          RecordAppraisalHandler,
          ApproveRenovationHandler,
          StartWorksHandler,
          CompleteWorksHandler,
          RecordAcceptanceHandler,
          PayRenovationSubsidyHandler,
          JoinWaitingListHandler,
          AllocateUnitHandler,
          RemoveFromWaitingListHandler,
          GrantRentalSubsidyHandler,
          DisburseRentalSubsidyHandler,
          RecordSubsidyReviewHandler,
          StopRentalSubsidyHandler,
          RecordRecipientCategoryHandler,
          ViewRenovationHandler,
          ViewRentalSubsidyHandler,
          ViewWaitingListHandler,
          ListHousingCasesHandler,
          ListHousingRegisterHandler,
          LookupHousingRegisterHandler,
        ],
      ),
    };
  }
}
