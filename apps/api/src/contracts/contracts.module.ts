import { Module } from '@nestjs/common';
import { AdoptContractController } from './adopt-contract/adopt-contract.controller';
import { AnnexLocalPartController } from './annex-local-part/annex-local-part.controller';
import { ContractLifecycleController } from './contract-lifecycle/contract-lifecycle.controller';
import { SignContractController } from './sign-contract/sign-contract.controller';

/**
 * The contract: adoption, signatures, local annexes, revision, closure: one folder per use case.
 * ApplyAmendmentToContract is not an endpoint here: the amendments feature applies an amendment's effects.
 */
@Module({
  controllers: [AdoptContractController, SignContractController, ContractLifecycleController, AnnexLocalPartController],
})
export class ContractsModule {}
