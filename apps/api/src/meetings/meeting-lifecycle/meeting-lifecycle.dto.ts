import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBody } from '../../shared/dto';
import { freeText } from '../../directory/free-text';

export class MeetingReasonDto extends CommandBody {
  @ApiProperty({ example: 'quorum prévisible insuffisant', description: freeText() })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
