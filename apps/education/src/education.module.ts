import { Module } from '@nestjs/common';
import { ReferralDeskModule } from '@platform/referral-desk';

/** Education department (教育): referred education needs. */
@Module({
  imports: [ReferralDeskModule.forDepartment({ department: 'education', officerRole: 'education_officer' })],
})
export class EducationModule {}
