import { BigIntType, EntitySchema } from '@mikro-orm/core';
import { randomUUID } from 'node:crypto';

export type ProcessingStatus = 'PENDING' | 'RUNNING' | 'DONE' | 'FAILED';

/** An uploaded file. Its bytes live at `$DATA_DIR/uploads/<id>`; `name` is display data only. */
export class StoredFile {
  id: string = randomUUID();
  name!: string;
  size!: number;
  /** detected from the content, never the client's claim */
  mimeType!: string;
  sha256!: string;
  ownerId!: string;
  createdAt: Date = new Date();
  processingStatus: ProcessingStatus = 'PENDING';
  /** JSON text: facts from the built-in processors and the AI summary, plus their errors */
  processingResult: string | null = null;
}

export const StoredFileSchema = new EntitySchema<StoredFile>({
  class: StoredFile,
  tableName: 'files',
  properties: {
    id: { type: 'string', primary: true, length: 36 },
    name: { type: 'string', length: 255 },
    // bigint column, read back as a number (safe far beyond any upload limit)
    size: { type: new BigIntType('number') },
    mimeType: { type: 'string', fieldName: 'mime_type', length: 127 },
    sha256: { type: 'string', length: 64 },
    ownerId: { type: 'string', fieldName: 'uploaded_by_id', length: 36 },
    createdAt: { type: 'datetime', fieldName: 'created_at' },
    processingStatus: { type: 'string', fieldName: 'processing_status', length: 16 },
    processingResult: { type: 'text', fieldName: 'processing_result', nullable: true },
  },
});
