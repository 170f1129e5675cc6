import 'reflect-metadata';
import { bootstrapService } from '@platform/config';
import { AppModule } from './app.module.js';

await bootstrapService(AppModule, {
  title: 'Health service',
  description: 'Health department (卫生健康): referred medical and disease-emergency needs.',
  defaultPort: 3003,
});
