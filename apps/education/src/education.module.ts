import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';
import { ReferralDeskModule } from '@platform/referral-desk';
import { EducationAssistanceModule } from './education-assistance/education-assistance.module.js';

const service = MessagingModule.forService({ department: 'education', publishes: true });

/**
 * Education department (教育): the referral desk for education needs referred by the window, and the
 * department's own assistance — students' grants by stage paid per term, the register of assistance
 * given — on one service module (one event store, relay and inbox).
 */
@Module({
  imports: [
    ReferralDeskModule.forDepartment({ department: 'education', officerRole: 'education_officer', service }),
    EducationAssistanceModule.forService(service),
  ],
})
export class EducationModule {}
