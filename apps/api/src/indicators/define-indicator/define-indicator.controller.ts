import { Body, Controller, Post, Req, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type Actor, indicatorDecider } from '@mel/domain';
import type { Request, Response } from 'express';
import { v7 as uuidv7 } from 'uuid';
import { CurrentActor } from '../../shared/actor';
import { CommandSender } from '../../shared/command-sender';
import { effectiveAt } from '../../shared/dto';
import { DefineIndicatorDto } from './define-indicator.dto';
import { Allow } from '../../auth/access.decorators';

@ApiTags('indicators')
@Allow('administrator', 'signatory-representative')
@Controller('indicators')
export class DefineIndicatorController {
  constructor(private readonly commands: CommandSender) {}

  @Post()
  @ApiOperation({ summary: 'Define an indicator (IATI-style): what is measured, in which unit, whether more is better' })
  @ApiHeader({ name: 'Idempotency-Key', required: false })
  @ApiCreatedResponse({ description: 'The events written, the stream version (ETag) and the seq produced' })
  async define(@Body() body: DefineIndicatorDto, @CurrentActor() actor: Actor, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const { effectiveAt: _at, indicatorId = uuidv7(), ...definition } = body;
    const answer = await this.commands.send(request, response, indicatorDecider, indicatorId, {
      type: 'DefineIndicator',
      indicatorId,
      actor,
      at: effectiveAt(body),
      ...definition,
    });
    response.setHeader('Location', `/indicators/${indicatorId}`);
    return { id: indicatorId, ...answer };
  }
}
