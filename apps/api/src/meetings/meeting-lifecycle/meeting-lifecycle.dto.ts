import { ApiProperty } from '@nestjs/swagger';
import { IsString, Length } from 'class-validator';
import { CommandBody } from '../../shared/dto';

export class MeetingReasonDto extends CommandBody {
  @ApiProperty({ example: 'quorum prévisible insuffisant' })
  @IsString()
  @Length(1, 2000)
  reason!: string;
}
