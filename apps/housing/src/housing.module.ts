import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';
import { ReferralDeskModule } from '@platform/referral-desk';
import { HousingAssistanceModule } from './housing-assistance/housing-assistance.module.js';

const service = MessagingModule.forService({ department: 'housing', publishes: true });

/**
 * Housing department (住房和城乡建设): the referral desk for housing needs referred by the window, and the
 * department's own assistance — renovation, public rental housing, rental subsidy, the register of
 * assistance given — on one service module (one event store, relay and inbox).
 */
@Module({
  imports: [
    ReferralDeskModule.forDepartment({ department: 'housing', officerRole: 'housing_officer', service }),
    HousingAssistanceModule.forService(service),
  ],
})
export class HousingModule {}
