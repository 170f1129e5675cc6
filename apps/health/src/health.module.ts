import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';
import { ReferralDeskModule } from '@platform/referral-desk';
import { MedicalAssistanceModule } from './medical-assistance/medical-assistance.module.js';

const service = MessagingModule.forService({ department: 'health', publishes: true });

/**
 * Health department (卫生健康): the referral desk for medical and disease-emergency needs referred by
 * the window, and the department's own assistance — medical assistance, disease-emergency assistance,
 * the register of assistance given — on one service module (one event store, relay and inbox).
 */
@Module({
  imports: [
    ReferralDeskModule.forDepartment({ department: 'health', officerRole: 'health_officer', service }),
    MedicalAssistanceModule.forService(service),
  ],
})
export class HealthModule {}
