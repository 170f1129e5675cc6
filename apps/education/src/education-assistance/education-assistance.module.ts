import { type DynamicModule, Module } from '@nestjs/common';
import { assistanceProviders } from '@platform/assistance-register';
import { VerificationResponderHandlersModule } from '@platform/verification';
import { EducationAssistanceController } from './api/education-assistance.controller.js';
import {
  DisburseTermHandler,
  GrantAidHandler,
  RecordEnrolmentHandler,
  RecordLeavingHandler,
} from './application/commands/student-aid.js';
import {
  EDUCATION_ASSISTANCE,
  studentStore,
  type EducationContext,
} from './application/education-context.js';
import {
  ListEducationRegisterHandler,
  ListStudentsHandler,
  LookupEducationRegisterHandler,
  ViewStudentHandler,
} from './application/queries/education-queries.js';
import { EducationRegisterAnswerer } from './read-model/education-register.answerer.js';
import { educationRegisterProjection } from './read-model/education-register.projection.js';
import { EducationRegisterQuery } from './read-model/education-register.query.js';
import { EducationStudentsQuery } from './read-model/education-students.query.js';
import { educationRegisterReadModel } from './read-model/education-register.read-model.js';

/**
 * Education assistance (教育救助) given by the education department: students' school records, grants by
 * stage and school year paid per term, the register of assistance given (its projection and queries) and
 * the household-verification answers drawn from it. Education's rules need no assistance category, so it
 * consumes none. It shares the education service module (one event store, one relay, one inbox) with the
 * referral desk: see `EducationModule`.
 */
@Module({})
export class EducationAssistanceModule {
  static forService(service: DynamicModule): DynamicModule {
    return {
      module: EducationAssistanceModule,
      imports: [service, VerificationResponderHandlersModule],
      controllers: [EducationAssistanceController],
      providers: assistanceProviders(
        {
          department: 'education',
          readModel: educationRegisterReadModel,
          context: EDUCATION_ASSISTANCE,
          contextOf: ({ store, dataSource, authz, accessLog, now, policy }): EducationContext => ({
            students: studentStore(store),
            store,
            register: new EducationRegisterQuery(dataSource),
            studentList: new EducationStudentsQuery(dataSource),
            authz,
            accessLog,
            now,
            policy,
          }),
          projectionName: 'education-register',
          projectionOf: (store) => educationRegisterProjection(store),
          answererOf: (schema) => new EducationRegisterAnswerer(schema),
        },
        [
          RecordEnrolmentHandler,
          RecordLeavingHandler,
          GrantAidHandler,
          DisburseTermHandler,
          ViewStudentHandler,
          ListEducationRegisterHandler,
          ListStudentsHandler,
          LookupEducationRegisterHandler,
        ],
      ),
    };
  }
}
