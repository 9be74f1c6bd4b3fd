import path from 'node:path';
import type { Config } from '../config/config.js';
import type { Logger } from '../logger.js';
import { FolderStore } from './folder.store.js';
import type { ObjectStore } from './object-store.js';

/** The uploads store STORAGE_URL names; the S3 SDK is loaded only when it is s3:// (several MiB). */
export async function openStore(
  config: Config,
  log: Logger,
  folder: { tmpName?: (key: string) => string } = {},
): Promise<ObjectStore> {
  const spec = config.STORAGE_URL;
  if (spec.kind === 'folder')
    return new FolderStore(path.join(config.DATA_DIR, 'uploads'), folder.tmpName);
  const { S3Store } = await import('./s3.store.js');
  const { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey } = config;
  return new S3Store(
    spec,
    accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    log,
  );
}
