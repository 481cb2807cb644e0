import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, IsString, Length, Matches, Max, Min, ValidateNested } from 'class-validator';
import { EVALUATION_KINDS, type EvaluationKind, MAX_PRIORITY_ACTIONS, PRIORITY_NUMBERS } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';

export class EvaluationScopeDto {
  @ApiProperty({ example: [1, 2, 3, 4, 5, 6], description: 'The enjeux evaluated, 1–6' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(PRIORITY_NUMBERS.length)
  @IsIn(PRIORITY_NUMBERS, { each: true })
  priorities!: number[];

  @ApiPropertyOptional({ example: ['mobilimel'], description: `The priority actions followed particularly: at most ${MAX_PRIORITY_ACTIONS} commitments` })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(MAX_PRIORITY_ACTIONS)
  @Matches(ID_PATTERN, { each: true })
  priorityActionCommitmentIds?: string[];
}

export class EvaluationQuestionDto {
  @ApiProperty({ example: 'q-droit-commun' })
  @Matches(ID_PATTERN)
  questionId!: string;

  @ApiProperty({ example: 'Les politiques de droit commun se sont-elles mobilisées dans les QPV ?' })
  @IsString()
  @Length(1, 2_000)
  text!: string;
}

export class OpenEvaluationCycleDto extends CommandBody {
  @ApiProperty({ enum: EVALUATION_KINDS, description: 'An annual review (any year), the mid-term evaluation (2027) or the final one (2030)' })
  @IsIn(EVALUATION_KINDS)
  kind!: EvaluationKind;

  @ApiProperty({ example: 2027 })
  @IsInt()
  @Min(2024)
  @Max(2030)
  year!: number;

  @ApiProperty({ type: EvaluationScopeDto })
  @ValidateNested()
  @Type(() => EvaluationScopeDto)
  scope!: EvaluationScopeDto;

  @ApiProperty({ type: [EvaluationQuestionDto], description: 'The evaluative questions, at least one' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => EvaluationQuestionDto)
  questions!: EvaluationQuestionDto[];
}
