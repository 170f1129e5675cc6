import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';

/** Education department (教育): referred education needs. */
@Module({
  imports: [MessagingModule.forService({ department: 'education', publishes: true })],
})
export class EducationModule {}
