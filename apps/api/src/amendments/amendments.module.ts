import { Module } from '@nestjs/common';
import { AmendmentEffects } from './apply-amendment-effects/amendment-effects';
import { ApplyAmendmentEffectsController } from './apply-amendment-effects/apply-amendment-effects.controller';
import { BringAmendmentIntoForceController } from './bring-amendment-into-force/bring-amendment-into-force.controller';
import { ProposeAmendmentController } from './propose-amendment/propose-amendment.controller';
import { RecordAmendmentDecisionController } from './record-amendment-decision/record-amendment-decision.controller';
import { SignAmendmentController } from './sign-amendment/sign-amendment.controller';
import { WithdrawAmendmentController } from './withdraw-amendment/withdraw-amendment.controller';

/** Amendments (avenants): proposal, decision, signatures, entry into force, effects: one folder per use case. */
@Module({
  controllers: [
    ProposeAmendmentController,
    RecordAmendmentDecisionController,
    WithdrawAmendmentController,
    SignAmendmentController,
    BringAmendmentIntoForceController,
    ApplyAmendmentEffectsController,
  ],
  providers: [AmendmentEffects],
})
export class AmendmentsModule {}
