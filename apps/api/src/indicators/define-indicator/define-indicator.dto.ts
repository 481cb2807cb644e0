import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { INDICATOR_LEVELS, type IndicatorLevel, type Measure, MEASURES, PRIORITY_NUMBERS } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { freeText } from '../../directory/free-text';

const BOUND = 1_000_000_000;

export class OrdinalScaleDto {
  @ApiProperty({ example: 1 })
  @IsInt()
  @Min(-BOUND)
  @Max(BOUND)
  min!: number;

  @ApiProperty({ example: 5 })
  @IsInt()
  @Min(-BOUND)
  @Max(BOUND)
  max!: number;
}

export class DefineIndicatorDto extends CommandBody {
  @ApiPropertyOptional({ example: 'ind-jeunes-accompagnes', description: 'Chosen by the client to make creation retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  indicatorId?: string;

  @ApiProperty({ example: 'Part des jeunes des QPV accompagnés vers l’emploi' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiPropertyOptional({ type: String, nullable: true, description: freeText() })
  @IsOptional()
  @IsString()
  @Length(1, 10_000)
  description?: string | null;

  @ApiProperty({ enum: INDICATOR_LEVELS })
  @IsIn(INDICATOR_LEVELS)
  level!: IndicatorLevel;

  @ApiProperty({ enum: MEASURES, description: 'IATI measure: unit (a count), percentage, nominal, ordinal (on a scale) or qualitative (a text)' })
  @IsIn(MEASURES)
  measure!: Measure;

  @ApiPropertyOptional({ type: String, nullable: true, example: '%', description: 'What one counts; required for every measure but qualitative' })
  @IsOptional()
  @IsString()
  @Length(1, 100)
  unit?: string | null;

  @ApiPropertyOptional({ nullable: true, type: OrdinalScaleDto, description: 'Only for an ordinal indicator' })
  @IsOptional()
  @ValidateNested()
  @Type(() => OrdinalScaleDto)
  scale?: OrdinalScaleDto | null;

  @ApiProperty({ description: 'True when more is better' })
  @IsBoolean()
  ascending!: boolean;

  @ApiProperty({ example: 'party-mel', description: 'The party that reports on it' })
  @Matches(ID_PATTERN)
  ownerPartyId!: string;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'mobilimel', description: 'The commitment it tracks' })
  @IsOptional()
  @Matches(ID_PATTERN)
  commitmentId?: string | null;

  @ApiPropertyOptional({ type: Number, nullable: true, enum: PRIORITY_NUMBERS, description: 'The enjeu 1–6 it tracks' })
  @IsOptional()
  @IsIn(PRIORITY_NUMBERS)
  priority?: number | null;
}
