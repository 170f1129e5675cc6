import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';

/** Health department (卫生健康): referred medical and disease-emergency needs. */
@Module({
  imports: [MessagingModule.forService({ department: 'health', publishes: true })],
})
export class HealthModule {}
