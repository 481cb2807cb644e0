import { ApiProperty } from '@nestjs/swagger';
import { IsIn } from 'class-validator';
import { ERASURE_REASONS, type ErasureReason } from '@mel/domain';
import { CommandBody } from '../../shared/dto';

export class ErasePersonDto extends CommandBody {
  @ApiProperty({
    enum: ERASURE_REASONS,
    example: 'gdpr-art-17-request',
    description: 'The ground of the erasure, a category. Never free text: it is recorded in the immutable log, where a name could never be erased.',
  })
  @IsIn(ERASURE_REASONS, { message: `reason must be one of ${ERASURE_REASONS.join(', ')}` })
  reason!: ErasureReason;
}
