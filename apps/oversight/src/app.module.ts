import { Module } from '@nestjs/common';
import { AuthModule } from '@platform/auth';
import { ServiceRuntimeModule } from '@platform/config';
import { DatabaseModule } from '@platform/event-store';
import { MessagingModule } from '@platform/messaging';
import { OversightModule } from './oversight.module.js';

/** The oversight service on its own: its own schema, PostgreSQL and Kafka from configuration. */
@Module({
  imports: [
    ServiceRuntimeModule.forRoot({ service: 'oversight', requireDatabaseUrl: true }),
    DatabaseModule,
    AuthModule.forRoot(),
    MessagingModule.forRoot(),
    OversightModule,
  ],
})
export class AppModule {}
