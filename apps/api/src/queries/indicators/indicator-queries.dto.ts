import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { ID_PATTERN } from '@mel/domain';
import { ToInteger } from '../../shared/dto';
import { IdPagedReadQuery } from '../read-query.dto';

/** The indicators of the contract and of its commitments, page by page. */
export class ListIndicatorsQuery extends IdPagedReadQuery {
  @ApiPropertyOptional({ minimum: 1, maximum: 6, description: 'The enjeu the indicator measures' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(6)
  priority?: number;

  @ApiPropertyOptional({ example: 'mobilimel', description: 'The commitment the indicator measures' })
  @IsOptional()
  @Matches(ID_PATTERN)
  commitmentId?: string;
}
