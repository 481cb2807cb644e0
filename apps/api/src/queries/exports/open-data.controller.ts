import { Controller, Get, Header, Query, StreamableFile } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { ocdsRecordPackage, openDataCsvZip, popoloExport } from '@mel/projections';
import { ReadModels } from '../../read-models.module';
import { ReadYourWritesQuery } from '../commitments/commitment-queries.dto';
import { awaitSeq } from '../read-your-writes';

/** Open data: what is public (commitments, governance bodies, meetings, votes); nothing from an actor. */
@ApiTags('open data')
@Controller('open-data')
export class OpenDataController {
  constructor(private readonly readModels: ReadModels) {}

  @Get('commitments.json')
  @ApiOperation({ summary: 'Commitments as an OCDS record package (compiled release and one release per event)' })
  @ApiOkResponse({ description: '{ uri, version, publishedDate, publisher, records }' })
  async commitments(@Query() query: ReadYourWritesQuery) {
    await awaitSeq(this.readModels, query.seq);
    return ocdsRecordPackage(this.readModels.dataSource);
  }

  @Get('governance.json')
  @ApiOperation({ summary: 'The governance register as Popolo JSON (organizations, memberships, events, motions, vote_events)' })
  @ApiOkResponse({ description: '{ organizations, memberships, events, motions, vote_events }' })
  async governance(@Query() query: ReadYourWritesQuery) {
    await awaitSeq(this.readModels, query.seq);
    return popoloExport(this.readModels.dataSource);
  }

  @Get('csv.zip')
  @Header('Content-Type', 'application/zip')
  @Header('Content-Disposition', 'attachment; filename="open-data-csv.zip"')
  @ApiProduces('application/zip')
  @ApiOperation({ summary: 'A ZIP of CSV files: commitments, bodies, memberships, meetings, votes' })
  async csv(@Query() query: ReadYourWritesQuery): Promise<StreamableFile> {
    await awaitSeq(this.readModels, query.seq);
    return new StreamableFile(await openDataCsvZip(this.readModels.dataSource), { type: 'application/zip' });
  }
}
