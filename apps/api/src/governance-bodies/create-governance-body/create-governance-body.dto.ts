import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  Validate,
  ValidateIf,
  ValidateNested,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import { BODY_FUNCTIONS, type BodyFunction, type QuorumRule } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';

const QUORUM_KINDS = ['fraction', 'count'] as const;

/** A field of a quorum rule that belongs to one kind only (`numerator` to `fraction`, `minimum` to `count`). */
@ValidatorConstraint({ name: 'belongsToKind' })
class BelongsToKind implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as QuorumRuleDto).kind === args.constraints[0];
  }

  defaultMessage(args: ValidationArguments): string {
    return `${args.property} belongs to a quorum rule of kind ${args.constraints[0]}`;
  }
}

/**
 * How many members with a voting right must be present or represented: `{ kind: 'fraction', numerator,
 * denominator }` (at least that share of the voting members, rounded up) or `{ kind: 'count', minimum }`.
 */
export class QuorumRuleDto {
  @ApiProperty({ enum: QUORUM_KINDS, example: 'fraction' })
  @IsIn(QUORUM_KINDS)
  kind!: (typeof QUORUM_KINDS)[number];

  @ApiPropertyOptional({ minimum: 1, maximum: 100, example: 1, description: 'Only for kind fraction; at most the denominator' })
  @ValidateIf((rule: QuorumRuleDto) => rule.kind === 'fraction' || rule.numerator !== undefined)
  @IsInt()
  @Min(1)
  @Max(100)
  @Validate(BelongsToKind, ['fraction'])
  numerator?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, example: 2, description: 'Only for kind fraction' })
  @ValidateIf((rule: QuorumRuleDto) => rule.kind === 'fraction' || rule.denominator !== undefined)
  @IsInt()
  @Min(1)
  @Max(100)
  @Validate(BelongsToKind, ['fraction'])
  denominator?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, example: 4, description: 'Only for kind count' })
  @ValidateIf((rule: QuorumRuleDto) => rule.kind === 'count' || rule.minimum !== undefined)
  @IsInt()
  @Min(1)
  @Max(1000)
  @Validate(BelongsToKind, ['count'])
  minimum?: number;
}

/** The rule as the domain takes it, with the fields of its kind only (the DTO checked they are there). */
export function toQuorumRule(dto: QuorumRuleDto): QuorumRule {
  return dto.kind === 'count' ? { kind: 'count', minimum: dto.minimum! } : { kind: 'fraction', numerator: dto.numerator!, denominator: dto.denominator! };
}

export class CreateGovernanceBodyDto extends CommandBody {
  @ApiPropertyOptional({ example: 'copil-cvs-mel', description: 'Chosen by the client to make creation retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  bodyId?: string;

  @ApiProperty({ example: 'Comité de pilotage du contrat de ville et des solidarités' })
  @IsString()
  @Length(1, 300)
  name!: string;

  @ApiProperty({ enum: BODY_FUNCTIONS, description: 'piloter (pilotage), suivre (suivi) or animer (animation)' })
  @IsIn(BODY_FUNCTIONS)
  function!: BodyFunction;

  @ApiProperty({ type: QuorumRuleDto, example: { kind: 'fraction', numerator: 1, denominator: 2 } })
  @IsObject()
  @ValidateNested()
  @Type(() => QuorumRuleDto)
  quorum!: QuorumRuleDto;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, example: 2, description: 'Conseil citoyen seats: at least 1 for a pilotage body; 0 when absent' })
  @IsOptional()
  @IsInt()
  @Min(0)
  @Max(100)
  citizenSeats?: number;
}
