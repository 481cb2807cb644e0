import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsNotEmptyObject,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  ValidateNested,
} from 'class-validator';
import type { AmendmentTargetKind } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { freeText } from '../../directory/free-text';

export const AMENDMENT_TARGET_KINDS = ['contract', 'commitment'] as const satisfies readonly AmendmentTargetKind[];
/** The Amendment decider's own bound on the targets of one amendment. */
const MAX_TARGETS = 500;

export class AmendmentTargetDto {
  @ApiProperty({ enum: AMENDMENT_TARGET_KINDS })
  @IsIn(AMENDMENT_TARGET_KINDS)
  kind!: AmendmentTargetKind;

  @ApiProperty({ example: 'mobilimel', description: 'The contractId, or one of the commitmentIds, of this amendment' })
  @Matches(ID_PATTERN)
  id!: string;
}

export class ProposedChangeDto {
  @ApiProperty({ type: AmendmentTargetDto })
  @ValidateNested()
  @Type(() => AmendmentTargetDto)
  target!: AmendmentTargetDto;

  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    example: { budget: [{ year: 2025, amountCents: 9_000_000, status: 'committed' }] },
    description:
      'The change, read by its target once the amendment is in force. A contract takes addAmbitions, addPartners, ' +
      'setLocalAnnexes, setComponentBudgets; a commitment takes new title, description, horizon, means, budget or scope, ' +
      'and `supersede: true` to mark it superseded.',
  })
  @IsObject()
  @IsNotEmptyObject()
  change!: Record<string, unknown>;
}

export class ProposeAmendmentDto extends CommandBody {
  @ApiPropertyOptional({ example: 'avenant-2025-1', description: 'Chosen by the client to make the proposal retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  amendmentId?: string;

  @ApiProperty({ description: freeText('Why the amendment is needed (OCDS rationale)') })
  @IsString()
  @Length(1, 2_000)
  rationale!: string;

  @ApiProperty({ description: freeText('What it changes, in words (OCDS description)') })
  @IsString()
  @Length(1, 10_000)
  description!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'cvs-mel-2024', description: 'The contract it changes, if it changes the contract' })
  @IsOptional()
  @Matches(ID_PATTERN)
  contractId?: string | null;

  @ApiPropertyOptional({ example: ['mobilimel'], description: 'The commitments it changes' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_TARGETS)
  @Matches(ID_PATTERN, { each: true })
  commitmentIds?: string[];

  @ApiProperty({ example: ['party-mel', 'party-caf'], description: 'The parties that must sign it' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TARGETS)
  @Matches(ID_PATTERN, { each: true })
  affectedPartyIds!: string[];

  @ApiProperty({ type: [ProposedChangeDto], description: 'One change per target: the contract and each commitment' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_TARGETS + 1)
  @ValidateNested({ each: true })
  @Type(() => ProposedChangeDto)
  changes!: ProposedChangeDto[];
}
