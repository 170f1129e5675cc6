import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';

/** One-door intake (一门受理): cases, needs, notices to applicants, referrals to departments, progress for applicants. */
@Module({
  imports: [MessagingModule.forService({ department: 'intake', publishes: true })],
})
export class IntakeModule {}
