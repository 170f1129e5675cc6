import { ContractRegistry } from './contract-registry.js';
import { PUBLISHING_DEPARTMENTS } from './departments.js';
import { dibaoContracts } from './dibao.contracts.js';
import { intakeContracts } from './intake.contracts.js';
import { referralContractsOf } from './referral.contracts.js';
import { sealContractOf } from './seal.contracts.js';
import { recipientContracts, verificationContracts } from './verification.contracts.js';

export * from './contract-registry.js';
export * from './domain-error.js';
export * from './erased.js';
export * from './csv.js';
export * from './beijing-time.js';
export * from './departments.js';
export * from './dibao.contracts.js';
export * from './intake.contracts.js';
export * from './kafka-access.js';
export * from './referral.contracts.js';
export * from './seal.contracts.js';
export * from './verification.contracts.js';

/** Every integration event of the platform. */
export function platformContracts(): ContractRegistry {
  return new ContractRegistry().register(
    ...intakeContracts,
    ...referralContractsOf('civil-affairs'),
    ...dibaoContracts,
    ...referralContractsOf('health'),
    ...referralContractsOf('housing'),
    ...referralContractsOf('education'),
    ...PUBLISHING_DEPARTMENTS.map(sealContractOf),
    ...verificationContracts,
    ...recipientContracts,
  );
}
