import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsOptional, Matches, ValidateNested } from 'class-validator';
import { ATTENDANCE_STATUSES, type AttendanceStatus } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { MAX_ROSTER } from '../body-facts';

export class AttendanceEntryDto {
  @ApiProperty({ example: 'mbr-dep-01', description: 'A member on the meeting’s roster' })
  @Matches(ID_PATTERN)
  memberId!: string;

  @ApiProperty({ enum: ATTENDANCE_STATUSES })
  @IsIn(ATTENDANCE_STATUSES)
  status!: AttendanceStatus;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'mbr-etat-01', description: 'Only for represented: the present member with a voting right who holds the proxy' })
  @IsOptional()
  @Matches(ID_PATTERN)
  proxyMemberId?: string | null;
}

export class RecordAttendanceDto extends CommandBody {
  @ApiProperty({ type: [AttendanceEntryDto], description: 'Merged into the attendance recorded before; voids the last quorum check' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROSTER)
  @ValidateNested({ each: true })
  @Type(() => AttendanceEntryDto)
  attendance!: AttendanceEntryDto[];
}
