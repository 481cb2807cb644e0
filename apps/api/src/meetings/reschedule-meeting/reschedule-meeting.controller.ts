import { Body, Controller, Param, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { IsISO8601, Matches } from 'class-validator';
import { type Actor, meetingDecider, notFound } from '@mel/domain';
import type { Request, Response } from 'express';
import { CurrentActor } from '../../shared/actor';
import { AggregateReader } from '../../shared/aggregate-reader';
import { CommandSender } from '../../shared/command-sender';
import { CommandBody, effectiveAt, IdPipe } from '../../shared/dto';
import { bodyFactsOn } from '../body-facts';
import { Allow } from '../../auth/access.decorators';

export class RescheduleMeetingDto extends CommandBody {
  @ApiProperty({ example: '2025-12-04', description: 'The new day of the meeting; the roster is read again as of that day' })
  @Matches(/^\d{4}-\d{2}-\d{2}$/, { message: 'date must be a date YYYY-MM-DD' })
  @IsISO8601({ strict: true })
  date!: string;
}

@ApiTags('governance')
@ApiHeader({ name: 'If-Match', required: false })
@ApiHeader({ name: 'Idempotency-Key', required: false })
@Allow('administrator', 'body-secretary')
@Controller('meetings/:meetingId/reschedule')
export class RescheduleMeetingController {
  constructor(
    private readonly commands: CommandSender,
    private readonly reader: AggregateReader,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Reschedule a postponed meeting to a new date, with the body’s roster as of that date' })
  async reschedule(@Param('meetingId', new IdPipe('meetingId')) id: string, @Body() body: RescheduleMeetingDto, @CurrentActor() actor: Actor, @Req() req: Request, @Res({ passthrough: true }) res: Response) {
    const { state } = await this.reader.read(meetingDecider, id);
    if (!state.exists || !state.body) throw notFound(`meeting ${id}`);
    const facts = await bodyFactsOn(this.reader, state.body.bodyId, body.date);
    return this.commands.send(req, res, meetingDecider, id, { type: 'RescheduleMeeting', meetingId: id, date: body.date, body: facts, actor, at: effectiveAt(body) });
  }
}
