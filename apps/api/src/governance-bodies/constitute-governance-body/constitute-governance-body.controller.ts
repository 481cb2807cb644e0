import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { type Actor, governanceBodyDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class ConstituteGovernanceBodyDto extends CommandBody {
  @ApiProperty({ example: '2024-06-20', description: 'Day the body is constituted; a pilotage body has a conseil citoyen member that day' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'constitutedOn must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  constitutedOn!: string;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator')
@Controller('governance-bodies/:bodyId/constitute')
export class ConstituteGovernanceBodyController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Constitute a governance body (administrator)' })
  constitute(@Param('bodyId', new IdPipe('bodyId')) id: string, @Body() body: ConstituteGovernanceBodyDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, governanceBodyDecider, id, { type: 'ConstituteGovernanceBody', bodyId: id, constitutedOn: body.constitutedOn, actor, at: effectiveAt(body) });
  }
}
