import { Module } from '@nestjs/common';
import { MessagingModule } from '@platform/messaging';

/** Civil affairs (民政): dibao review, temporary and urgent assistance, public notices, staff-relative filing. */
@Module({
  imports: [MessagingModule.forService({ department: 'civil-affairs', publishes: true })],
})
export class CivilAffairsModule {}
