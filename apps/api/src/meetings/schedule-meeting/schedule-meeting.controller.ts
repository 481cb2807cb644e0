import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, meetingDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { AggregateReader } from '../../shared/aggregate-reader';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { bodyFactsOn } from '../body-facts';
import { ScheduleMeetingDto } from './schedule-meeting.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('governance')
@Allow('administrator', 'body-secretary')
@Controller('meetings')
export class ScheduleMeetingController {
  constructor(
    private readonly commands: CommandSender,
    private readonly reader: AggregateReader,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Schedule a meeting of a governance body; its roster on that day is read from the body (administrator or the body’s secretary)' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async schedule(@Body() body: ScheduleMeetingDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { meetingId = uuidv7(), bodyId, title, date } = body;
    const facts = await bodyFactsOn(this.reader, bodyId, date);
    const answer = await this.commands.send(request, response, meetingDecider, meetingId, {
      type: 'ScheduleMeeting',
      meetingId,
      title,
      date,
      body: facts,
      actor,
      at: effectiveAt(body),
    });
    response.setHeader('Location', `/meetings/${meetingId}`);
    return { id: meetingId, ...answer };
  }
}
