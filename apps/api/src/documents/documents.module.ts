import { Module } from '@nestjs/common';

/** Documents, registered by SHA-256: one folder per use case. */
@Module({
  controllers: [],
})
export class DocumentsModule {}
