import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBody } from '../../shared/dto';

export class StartRevisionDto extends CommandBody {
  @ApiProperty({ example: 'évaluation à mi-parcours 2027' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}

export class CompleteRevisionDto extends CommandBody {
  @ApiProperty({ example: 'Orientations de la seconde période : mobilisation accrue du droit commun' })
  @IsString()
  @Length(1, 10_000)
  conclusion!: string;
}
