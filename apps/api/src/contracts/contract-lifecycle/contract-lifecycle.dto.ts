import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBody } from '../../shared/dto';
import { freeText } from '../../directory/free-text';

export class StartRevisionDto extends CommandBody {
  @ApiProperty({ example: 'évaluation à mi-parcours 2027', description: freeText() })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class CompleteRevisionDto extends CommandBody {
  @ApiProperty({ example: 'Orientations de la seconde période : mobilisation accrue du droit commun', description: freeText() })
  @IsString()
  @Length(1, 10_000)
  conclusion!: string;
}
