import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Length,
  Matches,
  Max,
  Min,
  ValidateNested,
} from 'class-validator';
import { COMPONENTS, type Component } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { freeText } from '../../directory/free-text';

const MAX_CENTS = Number.MAX_SAFE_INTEGER;

export class ScopeDto {
  @ApiProperty({ example: ['QN05972M'], description: 'QPV codes' })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^QN\d{5}[A-Z]$/, { each: true, message: 'each QPV code looks like QN05972M' })
  qpv!: string[];

  @ApiProperty({ example: ['59350'], description: 'INSEE codes of communes' })
  @IsArray()
  @ArrayMaxSize(100)
  @Matches(/^\d{5}$/, { each: true, message: 'each commune is a 5-digit INSEE code' })
  communes!: string[];
}

export class MeansDto {
  @ApiProperty({ example: 5_000_000, description: 'droit commun, in cents of euros' })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  droitCommunCents!: number;

  @ApiProperty({ example: 2_000_000, description: 'crédits spécifiques, in cents of euros' })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  creditsSpecifiquesCents!: number;
}

export class BudgetLineDto {
  @ApiProperty({ example: 2025 })
  @IsInt()
  @Min(2024)
  @Max(2030)
  year!: number;

  @ApiProperty({ example: 7_000_000, description: 'cents of euros' })
  @IsInt()
  @Min(0)
  @Max(MAX_CENTS)
  amountCents!: number;

  @ApiProperty({ enum: ['indicative', 'committed'] })
  @IsIn(['indicative', 'committed'])
  status!: 'indicative' | 'committed';
}

export class DraftCommitmentDto extends CommandBody {
  @ApiPropertyOptional({ description: 'Chosen by the client to make creation retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  commitmentId?: string;

  @ApiProperty({ example: 'MobilimEL : conseil en mobilité' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ description: freeText() })
  @IsString()
  @Length(1, 10_000)
  description!: string;

  @ApiProperty({ example: 'party-mel' })
  @Matches(ID_PATTERN)
  ownerPartyId!: string;

  @ApiProperty({ example: ['party-caf'] })
  @IsArray()
  @ArrayMaxSize(50)
  @Matches(ID_PATTERN, { each: true })
  coFunderPartyIds!: string[];

  @ApiProperty({ minimum: 1, maximum: 6, description: 'enjeu 1–6' })
  @IsInt()
  @Min(1)
  @Max(6)
  priority!: number;

  @ApiProperty({ example: 'lever les freins à la mobilité pour tous' })
  @IsString()
  @Length(1, 500)
  ambition!: string;

  @ApiProperty({ enum: Object.keys(COMPONENTS) })
  @IsIn(Object.keys(COMPONENTS))
  component!: Component;

  @ApiProperty({ example: 2030 })
  @IsInt()
  @Min(2024)
  @Max(2030)
  horizon!: number;

  @ApiProperty({ type: ScopeDto })
  @ValidateNested()
  @Type(() => ScopeDto)
  scope!: ScopeDto;

  @ApiProperty({ type: MeansDto })
  @ValidateNested()
  @Type(() => MeansDto)
  means!: MeansDto;

  @ApiProperty({ type: [BudgetLineDto] })
  @IsArray()
  @ArrayMaxSize(7)
  @ValidateNested({ each: true })
  @Type(() => BudgetLineDto)
  budget!: BudgetLineDto[];
}
