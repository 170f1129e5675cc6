import { Module } from '@nestjs/common';
import { ReferralDeskModule } from '@platform/referral-desk';

/** Housing department (住房): referred housing needs. */
@Module({
  imports: [ReferralDeskModule.forDepartment({ department: 'housing', officerRole: 'housing_officer' })],
})
export class HousingModule {}
