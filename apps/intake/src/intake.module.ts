import { Module } from '@nestjs/common';
import { CasesModule } from './cases/cases.module.js';

/** One-door intake (一门受理): cases, needs, notices to applicants, referrals to departments, progress for applicants. */
@Module({ imports: [CasesModule] })
export class IntakeModule {}
