import path from 'node:path';
import type { AppServices } from '../../context.js';
import type { ObjectStore } from '../../storage/object-store.js';
import { openStore } from '../../storage/open-store.js';
import { tmpPath } from './file.paths.js';

const stores = new WeakMap<object, Promise<ObjectStore>>();

/** The app's one uploads store (folder or bucket, from STORAGE_URL), made on first use. */
export function fileStore(app: Pick<AppServices, 'config' | 'log'>): Promise<ObjectStore> {
  let store = stores.get(app);
  if (!store) {
    // the folder's partial uploads are named where the sweep looks for them
    const tmpName = (key: string) => path.basename(tmpPath(app, key) ?? `.tmp-${key}`);
    store = openStore(app.config, app.log, { tmpName });
    stores.set(app, store);
  }
  return store;
}
