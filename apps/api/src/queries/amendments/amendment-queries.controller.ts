import { Controller } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';

/** The amendments register (each amendment with its approving decision, signatures and effects). */
@ApiTags('queries')
@Controller('amendments')
export class AmendmentQueriesController {}
