import 'reflect-metadata';
import { bootstrapService } from '@platform/config';
import { AppModule } from './app.module.js';

await bootstrapService(AppModule, {
  title: 'Intake service',
  description:
    'One-door intake (一门受理): cases, needs, notices to applicants, referrals to departments, progress for applicants.',
  defaultPort: 3001,
});
