import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, Length, Matches } from 'class-validator';
import { CommandBody, ID_PATTERN } from '../../shared/dto';

export class ScheduleMeetingDto extends CommandBody {
  @ApiPropertyOptional({ example: 'copil-2025-06-12', description: 'Chosen by the client to make scheduling retry-safe; generated when absent.' })
  @IsOptional()
  @Matches(ID_PATTERN)
  meetingId?: string;

  @ApiProperty({ example: 'copil-cvs-mel', description: 'The governance body that meets: its function, quorum rule and roster on `date` are read from its record' })
  @Matches(ID_PATTERN)
  bodyId!: string;

  @ApiProperty({ example: 'Comité de pilotage — bilan 2024 et avenant n°1' })
  @IsString()
  @Length(1, 300)
  title!: string;

  @ApiProperty({ example: '2025-06-12', description: 'Day of the meeting, within the contract (2024–2030)' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date!: string;
}
