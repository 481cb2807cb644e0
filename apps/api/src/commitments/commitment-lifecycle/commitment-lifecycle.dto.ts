import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { freeText } from '../../directory/free-text';

export class AdoptCommitmentDto extends CommandBody {
  @ApiPropertyOptional({ description: 'The decision of a governance body that adopted it' })
  @IsOptional()
  @Matches(ID_PATTERN)
  decisionId?: string;
}

export class ReasonDto extends CommandBody {
  @ApiProperty({ description: freeText() })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class CompleteCommitmentDto extends CommandBody {
  @ApiProperty({ enum: ['met', 'partially_met', 'not_met'] })
  @IsIn(['met', 'partially_met', 'not_met'])
  outcome!: 'met' | 'partially_met' | 'not_met';

  @ApiProperty({ description: freeText() })
  @IsString()
  @Length(1, 10_000)
  summary!: string;
}
