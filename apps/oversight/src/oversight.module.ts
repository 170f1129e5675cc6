import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';

/** Oversight (监督): audit ledger, replay, accountability reports, joint-meeting dashboards. */
@Module({
  imports: [MessagingModule.forService({ department: 'oversight', publishes: false })],
})
export class OversightModule {}
