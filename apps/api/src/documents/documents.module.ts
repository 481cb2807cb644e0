import { Module } from '@nestjs/common';
import { RegisterDocumentController } from './register-document/register-document.controller';
import { SupersedeDocumentController } from './supersede-document/supersede-document.controller';

/** Documents, registered by SHA-256: one folder per use case. */
@Module({
  controllers: [RegisterDocumentController, SupersedeDocumentController],
})
export class DocumentsModule {}
