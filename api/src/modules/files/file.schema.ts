import { builder } from '../../builder.js';
import { connectionOf } from '../../pagination/connection.schema.js';
import { User } from '../users/user.entity.js';
import { UserRef } from '../users/user.schema.js';
import { StoredFile } from './file.entity.js';
import { deleteFile, getFile, listFiles, uploadFile } from './file.service.js';
import { fileProcessedUpdates } from './file.stream.js';

export const StoredFileRef = builder.objectType(StoredFile, {
  name: 'StoredFile',
  description:
    'An uploaded file. Its type is judged from its content; its name is display text only.',
  fields: (t) => ({
    id: t.exposeID('id'),
    name: t.exposeString('name', {
      description: 'The cleaned client file name (no path, controls or bidi overrides).',
    }),
    size: t.exposeFloat('size', { description: 'Bytes.' }),
    mimeType: t.exposeString('mimeType', {
      description: 'Detected from the bytes, not from the name or the client.',
    }),
    sha256: t.exposeString('sha256', { description: 'Hex SHA-256 of the stored bytes.' }),
    uploadedBy: t.field({
      type: UserRef,
      resolve: (f, _a, ctx) => ctx.em.findOneOrFail(User, { id: f.ownerId }),
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    downloadUrl: t.string({
      description: 'GET it with the same credentials; served as an attachment.',
      resolve: (f) => `/files/${f.id}`,
    }),
    processingStatus: t.string({
      nullable: true,
      description: 'PENDING, RUNNING, DONE or FAILED.',
      resolve: (f) => f.processingStatus,
    }),
    processingResult: t.exposeString('processingResult', {
      nullable: true,
      description:
        'JSON: preview (text), image {format width height}, archive {format entries names}, summary (AI), errors [{processor message}].',
    }),
  }),
});

const StoredFileConnectionRef = connectionOf('StoredFile', StoredFileRef);

builder.queryField('files', (t) =>
  t.field({
    type: StoredFileConnectionRef,
    description: 'Newest first. USER sees their own files, ADMIN every file.',
    args: { first: t.arg.int({ defaultValue: 20 }), after: t.arg.string() },
    resolve: (_r, args, ctx) => listFiles(ctx, args),
  }),
);

builder.queryField('file', (t) =>
  t.field({
    type: StoredFileRef,
    nullable: true,
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => getFile(ctx, String(a.id)),
  }),
);

builder.mutationField('uploadFile', (t) =>
  t.field({
    type: StoredFileRef,
    description:
      'A multipart request (GraphQL multipart request spec). Processing starts afterwards, in the background.',
    args: { file: t.arg({ type: 'Upload', required: true }) },
    resolve: (_r, args, ctx) => uploadFile(ctx, args.file),
  }),
);

builder.mutationField('deleteFile', (t) =>
  t.boolean({
    description: 'Owner or ADMIN.',
    args: { id: t.arg.id({ required: true }) },
    resolve: (_r, a, ctx) => deleteFile(ctx, String(a.id)),
  }),
);

builder.subscriptionField('fileProcessed', (t) =>
  t.field({
    type: StoredFileRef,
    description:
      'Files you may see whose processing finished. With `id`: that file once it is finished (at once if it already is), then the end.',
    args: { id: t.arg.id() },
    subscribe: (_r, a, ctx) => fileProcessedUpdates(ctx, a.id ? String(a.id) : null),
    resolve: (file) => file,
  }),
);
