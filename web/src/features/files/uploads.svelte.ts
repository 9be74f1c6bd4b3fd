import { getContext, setContext } from 'svelte';
import type { StoredFileFieldsFragment } from '../../lib/graphql/generated/graphql';
import { uploadWithProgress } from '../../lib/graphql/upload';
import { cleanFileName } from './file.name';
import { UploadFileMutation } from './files.documents';

export interface UploadItem {
  key: number;
  /** the name the server stores (cleaned here first, then the server's own), never the raw one */
  name: string;
  /** the file's own size; loaded/total below count the whole multipart body */
  size: number;
  loaded: number;
  total: number;
  state: 'uploading' | 'processing' | 'done' | 'failed';
  error: string | null;
  file: StoredFileFieldsFragment | null;
  abort: (() => void) | null;
}

/** Uploads in flight and just finished, shared by the files page and the run form's file picker. */
export class Uploads {
  items = $state<UploadItem[]>([]);
  /** bumps after every successful upload, so file lists know to refresh */
  completed = $state(0);
  private nextKey = 0;

  async start(file: File): Promise<StoredFileFieldsFragment | null> {
    this.items.unshift({
      key: this.nextKey++,
      name: cleanFileName(file.name),
      size: file.size,
      loaded: 0,
      total: file.size,
      state: 'uploading',
      error: null,
      file: null,
      abort: null,
    });
    const item = this.items[0]; // the reactive proxy, so progress updates reach the view
    const handle = uploadWithProgress(UploadFileMutation, { file }, ({ loaded, total }) => {
      item.loaded = loaded;
      item.total = total;
      // every byte sent: the server is now storing and checking the file
      if (total > 0 && loaded >= total) item.state = 'processing';
    });
    item.abort = handle.abort;
    try {
      const data = await handle.result;
      item.state = 'done';
      item.file = data.uploadFile;
      item.name = data.uploadFile.name;
      this.completed++;
      return data.uploadFile;
    } catch (e) {
      item.state = 'failed';
      item.error = e instanceof Error ? e.message : 'The upload failed.';
      return null;
    } finally {
      item.abort = null;
    }
  }

  dismiss(key: number): void {
    this.items = this.items.filter((i) => i.key !== key);
  }
}

const KEY = Symbol('uploads');
export const setUploads = (u: Uploads) => setContext(KEY, u);
export const getUploads = () => getContext<Uploads>(KEY);
