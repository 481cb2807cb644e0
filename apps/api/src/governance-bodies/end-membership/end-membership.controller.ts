import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { type Actor, governanceBodyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class EndMembershipDto extends CommandBody {
  @ApiProperty({ example: '2025-10-31', description: 'Last day of the membership, inclusive' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'endDate must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  endDate!: string;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('governance-bodies/:bodyId/members/:memberId/end')
export class EndMembershipController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'End the current membership of a member of a governance body (administrator)' })
  end(
    @Param('bodyId', new IdPipe('bodyId')) id: string,
    @Param('memberId', new IdPipe('memberId')) memberId: string,
    @Body() body: EndMembershipDto,
    @CurrentActor() actor: Actor,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ) {
    return this.commands.send(req, res, governanceBodyDecider, id, { type: 'EndMembership', bodyId: id, memberId, endDate: body.endDate, actor, at: effectiveAt(body) });
  }
}
