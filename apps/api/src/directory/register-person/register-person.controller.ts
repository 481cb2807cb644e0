import { Body, Controller, Post, Res } from '@nestjs/common';
import { ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalDirectory } from '@mel/application';
import type { Actor } from '@mel/domain';
import type { Response } from 'express';
import { Allow } from '../../auth/access.decorators';
import { CurrentActor } from '../../shared/actor';
import { RegisterPersonDto } from './register-person.dto';

@ApiTags('personal directory')
@Allow('administrator', 'signatory-representative')
@Controller('directory/people')
export class RegisterPersonController {
  constructor(private readonly directory: PersonalDirectory) {}

  @Post()
  @ApiOperation({
    summary: 'Register a person in the personal directory (administrator; a signatory representative for their own party only)',
    description:
      'Answers the person’s pseudonymous id (person- and a UUID v4, drawn by the server): the id events carry, e.g. as the memberId of ' +
      'POST /governance-bodies/{bodyId}/members. The name and contact details stay in the erasable directory; nothing is written to the log.',
  })
  @ApiCreatedResponse({ description: '{ personId }, and Location: /directory/people/{personId}' })
  async register(@Body() body: RegisterPersonDto, @CurrentActor() actor: Actor, @Res({ passthrough: true }) response: Response) {
    const { displayName, email, phone, title, partyId } = body;
    const person = await this.directory.register(actor, { displayName, email, phone, title, partyId });
    response.status(201).setHeader('Location', `/directory/people/${person.personId}`);
    return { personId: person.personId };
  }
}
