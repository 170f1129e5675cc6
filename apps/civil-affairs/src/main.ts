import 'reflect-metadata';
import { bootstrapService } from '@platform/config';
import { AppModule } from './app.module.js';

await bootstrapService(AppModule, {
  title: 'CivilAffairs service',
  description:
    'Civil affairs (民政): dibao review, temporary and urgent assistance, public notices, staff-relative filing.',
  defaultPort: 3002,
});
