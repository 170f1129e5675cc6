import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';
import { ReferralDeskModule } from '@platform/referral-desk';
import { CoordinationModule } from './coordination/coordination.module.js';
import { DibaoModule } from './dibao/dibao.module.js';
import { PlacesController, PublicPlacesController } from './public-places.controller.js';
import { SocialForcesModule } from './social-forces/social-forces.module.js';
import { TemporaryAssistanceModule } from './temporary-assistance/temporary-assistance.module.js';
import { VerificationModule } from './verification/verification.module.js';

const service = MessagingModule.forService({ department: 'civil-affairs', publishes: true });

/**
 * Civil affairs (民政): dibao, temporary, special-hardship, vagrant and disaster-victim assistance, and the
 * household economic verification across departments (家庭经济状况核对); the joint meeting's case-by-case
 * coordination (一事一议) and social forces with purchased services (社会力量, 政府购买服务).
 */
@Module({
  imports: [
    ReferralDeskModule.forDepartment({
      department: 'civil-affairs',
      officerRole: 'county_civil_affairs',
      service,
      // Dibao and special hardship are applications (DibaoModule); so is temporary assistance
      // (TemporaryAssistanceModule), which hands back to the desk a referral it cannot open an
      // application for (no person to record without consent to share).
      excludeCategories: ['dibao', 'special_hardship', 'temporary'],
    }),
    DibaoModule.forService(service),
    VerificationModule.forService(service),
    TemporaryAssistanceModule.forService(service),
    CoordinationModule.forService(service),
    SocialForcesModule.forService(service),
  ],
  controllers: [PublicPlacesController, PlacesController],
})
export class CivilAffairsModule {}
