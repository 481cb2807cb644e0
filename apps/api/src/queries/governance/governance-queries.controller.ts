import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The governance register (bodies, memberships over time, meetings, votes, decisions, minutes). */
@ApiTags('queries')
@Controller('governance')
export class GovernanceQueriesController {}
