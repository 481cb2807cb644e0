import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsInt, IsOptional, Matches, Max, Min, ValidateNested } from 'class-validator';
import { VOTE_OPTIONS, type VoteOption } from '@mel/domain';
import { CommandBody, ID_PATTERN } from '../../shared/dto';
import { MAX_ROSTER } from '../body-facts';

export class IndividualVoteDto {
  @ApiProperty({ example: 'mbr-dep-01', description: 'A member with a voting right on the meeting’s roster' })
  @Matches(ID_PATTERN)
  memberId!: string;

  @ApiProperty({ enum: VOTE_OPTIONS })
  @IsIn(VOTE_OPTIONS)
  option!: VoteOption;

  @ApiPropertyOptional({ type: String, nullable: true, example: 'mbr-etat-01', description: 'For a represented member: the proxy holder who cast the vote (taken from the attendance when absent)' })
  @IsOptional()
  @Matches(ID_PATTERN)
  proxyMemberId?: string | null;
}

export class VoteCountDto {
  @ApiProperty({ enum: VOTE_OPTIONS })
  @IsIn(VOTE_OPTIONS)
  option!: VoteOption;

  @ApiProperty({ minimum: 0, maximum: MAX_ROSTER, example: 3 })
  @IsInt()
  @Min(0)
  @Max(MAX_ROSTER)
  value!: number;
}

export class RecordVoteDto extends CommandBody {
  @ApiProperty({ type: [IndividualVoteDto], description: 'One vote per member with a voting right' })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_ROSTER)
  @ValidateNested({ each: true })
  @Type(() => IndividualVoteDto)
  votes!: IndividualVoteDto[];

  @ApiProperty({ type: [VoteCountDto], description: 'Popolo counts; they must equal the tally of the individual votes (an option left out counts 0)' })
  @IsArray()
  @ArrayMaxSize(VOTE_OPTIONS.length)
  @ValidateNested({ each: true })
  @Type(() => VoteCountDto)
  counts!: VoteCountDto[];
}
