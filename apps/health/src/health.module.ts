import { Module } from '@nestjs/common';
import { ReferralDeskModule } from '@platform/referral-desk';

/** Health department (卫生健康): referred medical and disease-emergency needs. */
@Module({
  imports: [ReferralDeskModule.forDepartment({ department: 'health', officerRole: 'health_officer' })],
})
export class HealthModule {}
