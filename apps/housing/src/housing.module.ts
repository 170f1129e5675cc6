import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';

/** Housing department (住房): referred housing needs. */
@Module({
  imports: [MessagingModule.forService({ department: 'housing', publishes: true })],
})
export class HousingModule {}
