import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';
import { ReferralDeskModule } from '@platform/referral-desk';
import { DibaoModule } from './dibao/dibao.module.js';

const service = MessagingModule.forService({ department: 'civil-affairs', publishes: true });

/** Civil affairs (民政): dibao, temporary, special-hardship, vagrant and disaster-victim assistance. */
@Module({
  imports: [
    ReferralDeskModule.forDepartment({
      department: 'civil-affairs',
      officerRole: 'county_civil_affairs',
      service,
      excludeCategories: ['dibao', 'special_hardship'],
    }),
    DibaoModule.forService(service),
  ],
})
export class CivilAffairsModule {}
