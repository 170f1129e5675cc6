import 'reflect-metadata';
import { bootstrapService } from '@platform/config';
import { AppModule } from './app.module.js';

await bootstrapService(AppModule, {
  title: 'Housing service',
  description: 'Housing department (住房): referred housing needs.',
  defaultPort: 3004,
});
