import { Controller, Get, Header, Param, Query } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PersonalDirectory } from '@mel/application';
import { type Actor, notFound } from '@mel/domain';
import { Allow, MEMBERS } from '../../auth/access.decorators';
import { CurrentActor } from '../../shared/actor';
import { NoQueryPipe } from '../../shared/dto';
import { RuleProblem } from '../../shared/problem-details';
import { PersonIdPipe } from '../person-id.pipe';

@ApiTags('personal directory')
@Allow(...MEMBERS)
@Controller('directory/people')
export class ReadPersonController {
  constructor(private readonly directory: PersonalDirectory) {}

  @Get(':personId')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({ summary: 'A person of the personal directory: name and contact details (administrator, auditor, body secretary, signatory representative; never the public)' })
  @ApiOkResponse({
    description:
      '{ personId, displayName, email, phone, title, partyId, createdAt }; email and phone only for an administrator, an auditor, ' +
      'or the representative of the person’s own party (null for the others: data minimisation, GDPR art. 5(1)(c))',
  })
  @ApiNotFoundResponse({ description: 'Problem details: AggregateMustExist (no such person) or PersonDataWasErased (with erasedAt and erasureSeq)' })
  async read(@Param('personId', new PersonIdPipe()) personId: string, @CurrentActor() actor: Actor, @Query(NoQueryPipe) _query: unknown) {
    const found = await this.directory.find(personId);
    if (found.status === 'present') {
      const person = found.person;
      const seesContact =
        actor.role === 'administrator' || actor.role === 'auditor' || (actor.role === 'signatory-representative' && person.partyId !== null && actor.partyId === person.partyId);
      return seesContact ? person : { ...person, email: null, phone: null };
    }
    if (found.status === 'erased') {
      throw new RuleProblem(
        404,
        'PersonDataWasErased',
        'The person’s data was erased',
        `the data of ${personId} was erased on ${found.erasedAt} (the erasure is the event of seq ${found.erasureSeq}): it can no longer be read`,
        'personId',
        { personId, erasedAt: found.erasedAt, erasureSeq: found.erasureSeq },
      );
    }
    throw notFound(`${personId} in the personal directory`);
  }
}
