import 'reflect-metadata';
import { bootstrapService } from '@platform/config';
import { AppModule } from './app.module.js';

await bootstrapService(AppModule, {
  title: 'Oversight service',
  description: 'Oversight (监督): audit ledger, replay, accountability reports, joint-meeting dashboards.',
  defaultPort: 3006,
});
