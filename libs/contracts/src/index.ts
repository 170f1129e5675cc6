import { ContractRegistry } from './contract-registry.js';
import { intakeContracts } from './intake.contracts.js';
import { referralContractsOf } from './referral.contracts.js';

export * from './contract-registry.js';
export * from './domain-error.js';
export * from './departments.js';
export * from './intake.contracts.js';
export * from './referral.contracts.js';

/** Every integration event of the platform. */
export function platformContracts(): ContractRegistry {
  return new ContractRegistry().register(
    ...intakeContracts,
    ...referralContractsOf('civil-affairs'),
    ...referralContractsOf('health'),
    ...referralContractsOf('housing'),
    ...referralContractsOf('education'),
  );
}
