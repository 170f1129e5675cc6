import { Module } from '@nestjs/common';
import { ReferralDeskModule } from '@platform/referral-desk';

/** Civil affairs (民政): dibao, temporary, special-hardship, vagrant and disaster-victim assistance. */
@Module({
  imports: [
    ReferralDeskModule.forDepartment({ department: 'civil-affairs', officerRole: 'county_civil_affairs' }),
  ],
})
export class CivilAffairsModule {}
