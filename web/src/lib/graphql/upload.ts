import { stringifyDocument, type TypedDocumentNode } from '@urql/core';
import { CSRF_HEADERS } from './client';
import { AppFailure, toFailure } from './errors';

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadHandle<Data> {
  result: Promise<Data>;
  abort(): void;
}

const BY_STATUS: Record<number, string> = {
  413: 'The file is larger than the server accepts.',
  415: 'The server does not accept this type of file.',
};

/**
 * A GraphQL multipart request (operations, map, then the file) sent with XMLHttpRequest,
 * because fetch reports no upload progress.
 */
export function uploadWithProgress<Data, Vars extends { file: File }>(
  document: TypedDocumentNode<Data, Vars>,
  variables: Vars,
  onProgress: (p: UploadProgress) => void,
): UploadHandle<Data> {
  const xhr = new XMLHttpRequest();
  const body = new FormData();
  body.append(
    'operations',
    JSON.stringify({ query: stringifyDocument(document), variables: { ...variables, file: null } }),
  );
  body.append('map', JSON.stringify({ 0: ['variables.file'] }));
  body.append('0', variables.file, variables.file.name);

  const result = new Promise<Data>((resolve, reject) => {
    xhr.upload.onprogress = (e) =>
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : variables.file.size });
    xhr.onerror = () =>
      reject(
        new AppFailure(
          'NETWORK',
          'The upload was interrupted. Check your connection and try again.',
        ),
      );
    xhr.onabort = () => reject(new AppFailure('NETWORK', 'Upload cancelled.'));
    xhr.onload = () => {
      let json: {
        data?: Data | null;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      } | null = null;
      try {
        json = JSON.parse(xhr.responseText);
      } catch {
        json = null;
      }
      const failure = toFailure(json?.errors);
      if (failure) reject(failure);
      else if (json?.data) resolve(json.data);
      else
        reject(
          new AppFailure(
            'INTERNAL_SERVER_ERROR',
            BY_STATUS[xhr.status] ?? `Upload failed (HTTP ${xhr.status}).`,
          ),
        );
    };
  });

  xhr.open('POST', '/graphql');
  xhr.withCredentials = true;
  for (const [name, value] of Object.entries(CSRF_HEADERS)) xhr.setRequestHeader(name, value);
  xhr.setRequestHeader('accept', 'application/graphql-response+json, application/json');
  xhr.send(body);
  return { result, abort: () => xhr.abort() };
}
