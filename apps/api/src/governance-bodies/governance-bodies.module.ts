import { Module } from '@nestjs/common';
import { AddMemberController } from './add-member/add-member.controller';
import { ConstituteGovernanceBodyController } from './constitute-governance-body/constitute-governance-body.controller';
import { CreateGovernanceBodyController } from './create-governance-body/create-governance-body.controller';
import { EndMembershipController } from './end-membership/end-membership.controller';

/** Governance bodies (instances de gouvernance) and their memberships: one folder per use case. */
@Module({
  controllers: [CreateGovernanceBodyController, AddMemberController, EndMembershipController, ConstituteGovernanceBodyController],
})
export class GovernanceBodiesModule {}
