import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsBoolean, IsIn, IsISO8601, Matches } from 'class-validator';
import { type Actor, BODY_SEATS, type BodySeat, governanceBodyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class AddMemberDto extends CommandBody {
  @ApiProperty({ example: 'mbr-cc-01', description: 'Pseudonymous member id: never a person’s name' })
  @Matches(ID_PATTERN)
  memberId!: string;

  @ApiProperty({ example: 'party-conseil-citoyen-roubaix', description: 'The party the member sits for (Popolo on_behalf_of)' })
  @Matches(ID_PATTERN)
  partyId!: string;

  @ApiProperty({ example: true, description: 'An observer has no voting right' })
  @IsBoolean()
  votingRight!: boolean;

  @ApiProperty({ enum: BODY_SEATS })
  @IsIn(BODY_SEATS)
  seat!: BodySeat;

  @ApiProperty({ example: '2024-06-01', description: 'First day of the membership' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'startDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  startDate!: string;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('governance-bodies/:bodyId/members')
export class AddMemberController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Add a member to a governance body, sitting for a party on a seat, from a start date (administrator)' })
  add(@Param('bodyId', new IdPipe('bodyId')) id: string, @Body() body: AddMemberDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { memberId, partyId, votingRight, seat, startDate } = body;
    return this.commands.send(req, res, governanceBodyDecider, id, {
      type: 'AddMember',
      bodyId: id,
      memberId,
      partyId,
      votingRight,
      seat,
      startDate,
      actor,
      at: effectiveAt(body),
    });
  }
}
