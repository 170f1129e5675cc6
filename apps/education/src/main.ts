import 'reflect-metadata';
import { bootstrapService } from '@platform/config';
import { AppModule } from './app.module.js';

await bootstrapService(AppModule, {
  title: 'Education service',
  description: 'Education department (教育): referred education needs.',
  defaultPort: 3005,
});
