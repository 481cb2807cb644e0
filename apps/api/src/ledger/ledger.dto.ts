import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { ToInteger } from '../shared/dto';

const MAX = Number.MAX_SAFE_INTEGER;

export class CheckpointsQuery {
  @ApiPropertyOptional({ description: 'Checkpoints of sizes below this one (the nextCursor of the previous page)' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX)
  before?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 500, default: 100 })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

export class InclusionQuery {
  @ApiPropertyOptional({ description: 'The event’s seq (leaf index seq − 1); give seq or index' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX)
  seq?: number;

  @ApiPropertyOptional({ description: 'The leaf index (seq − 1); give seq or index' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(MAX)
  index?: number;

  @ApiPropertyOptional({ description: 'The tree size to prove against, at most the tree’s; the latest checkpoint’s size by default' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX)
  size?: number;
}

export class ConsistencyQuery {
  @ApiProperty({ description: 'The smaller tree size (size1)' })
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(MAX)
  from!: number;

  @ApiPropertyOptional({ description: 'The larger tree size (size2), at most the tree’s; the latest checkpoint’s size by default' })
  @IsOptional()
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(MAX)
  to?: number;
}

export class SeqParam {
  @ApiProperty({ description: 'The event’s seq' })
  @ToInteger()
  @IsInt()
  @Min(1)
  @Max(MAX)
  seq!: number;
}

export class SizeParam {
  @ApiProperty({ description: 'The checkpoint’s tree size' })
  @ToInteger()
  @IsInt()
  @Min(0)
  @Max(MAX)
  size!: number;
}
