import { Module } from '@nestjs/common';
import { CosignaturesController } from './cosignatures.controller';
import { LedgerController } from './ledger.controller';
import { LedgerReader } from './ledger-reader';
import { LedgerService } from './ledger.service';

/**
 * The verifiable ledger (DESIGN §4, ADR 9): the service that keeps the Merkle tree extended and signs
 * checkpoints (on meeting closures and on a schedule), and the public routes under /ledger.
 */
@Module({
  providers: [LedgerService, LedgerReader],
  controllers: [LedgerController, CosignaturesController],
})
export class LedgerModule {}
