import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { type Actor, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, ID_PATTERN, IdPipe } from '../../shared/dto';
import { Allow } from '../../auth/access.decorators';

export class AddAgendaItemDto extends CommandBody {
  @ApiProperty({ example: 'odj-1' })
  @Matches(ID_PATTERN)
  itemId!: string;

  @ApiProperty({ example: 'Avenant n°1 au contrat de ville et des solidarités', description: 'At most 500 characters, as the Meeting decider allows' })
  @IsString()
  @Length(1, 500)
  title!: string;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/agenda-items')
export class AddAgendaItemController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Add an item to the agenda (ordre du jour) of a meeting, after the last one' })
  add(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: AddAgendaItemDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    return this.commands.send(req, res, meetingDecider, id, { type: 'AddAgendaItem', meetingId: id, itemId: body.itemId, title: body.title, actor, at: effectiveAt(body) });
  }
}
