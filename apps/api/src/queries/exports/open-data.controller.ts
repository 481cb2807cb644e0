import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ocdsRecordPackage, openDataCsvZip, popoloExport } from '@mel/projections';
import { ReadModels } from '../../read-models.module';
import { asOfOf, ReadQuery } from '../read-query.dto';
import { awaitSeq } from '../read-your-writes';
import { Public } from '../../auth/access.decorators';

/** Open data: what is public (commitments, governance bodies, meetings, votes); nothing from an actor. */
@ApiTags('open data')
@Public()
@Controller('open-data')
export class OpenDataController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('commitments.json')
  @ApiOperation({ summary: 'Commitments as an OCDS record package (compiled release and one release per event)' })
  @ApiOkResponse({ description: '{ uri, version, publishedDate, publisher, records }' })
  async commitments(@Query() query: ReadQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => ocdsRecordPackage(source, undefined, asOfOf(query)));
  }

  @Get('governance.json')
  @ApiOperation({ summary: 'The governance register as Popolo JSON (organizations, memberships, events, motions, vote_events)' })
  @ApiOkResponse({ description: '{ organizations, memberships, events, motions, vote_events }' })
  async governance(@Query() query: ReadQuery) {
    await awaitSeq(this.readModels, query.seq);
    return this.readModels.read(query, (source) => popoloExport(source));
  }

  @Get('csv.zip')
  @Header('Content-Type', 'application/zip')
  @Header('Content-Disposition', 'attachment; filename="open-data-csv.zip"')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: 'A ZIP of CSV files: commitments, bodies, memberships, meetings, votes' })
  async csv(@Query() query: ReadQuery): Promise<StreamableFile> {
    await awaitSeq(this.readModels, query.seq);
    return new StreamableFile(await this.readModels.read(query, (source) => openDataCsvZip(source)), { type: 'application/zip' });
  }
}
