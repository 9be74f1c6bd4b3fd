import { describe, expect, it } from 'vitest';
import { loadConfig } from '../config/config.js';
import { parseStorageUrl } from './storage-url.js';

describe('STORAGE_URL', () => {
  it('unset or file: is the uploads folder; s3:// names bucket, prefix and options', () => {
    expect(parseStorageUrl(undefined)).toEqual({ kind: 'folder' });
    expect(parseStorageUrl('file:')).toEqual({ kind: 'folder' });
    expect(parseStorageUrl('s3://my-bucket')).toEqual({
      kind: 's3',
      bucket: 'my-bucket',
      prefix: '',
      endpoint: undefined,
      region: 'us-east-1',
      forcePathStyle: false,
    });
    expect(
      parseStorageUrl(
        's3://b.example/a/b?endpoint=http://127.0.0.1:9000/&region=eu-west-1&forcePathStyle=true',
      ),
    ).toEqual({
      kind: 's3',
      bucket: 'b.example',
      prefix: 'a/b/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'eu-west-1',
      forcePathStyle: true,
    });
  });

  it('refuses credentials in the URL, bad names, unknown options and odd endpoints', () => {
    for (const bad of [
      's3://AKIA:secret@bucket',
      's3://UPPER',
      's3://b',
      's3://bucket:9000',
      's3://bucket/../x',
      's3://bucket/a b',
      's3://bucket?acl=public',
      's3://bucket?endpoint=ftp://x',
      's3://bucket?endpoint=http://u:p@host',
      's3://bucket?region=Mars 1',
      's3://bucket?forcePathStyle=yes',
      'http://bucket',
      'file:/tmp/x',
    ])
      expect(typeof parseStorageUrl(bad), bad).toBe('string');
  });

  it('config: one message per bad variable, never showing a secret', () => {
    let message = '';
    try {
      loadConfig({
        STORAGE_URL: 's3://AKIA:hunter2hunter2@bucket',
        AWS_SECRET_ACCESS_KEY: 'only-the-secret-value',
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/STORAGE_URL: must not hold credentials/);
    expect(message).toMatch(/AWS_ACCESS_KEY_ID: must be set together/);
    expect(message).not.toMatch(/hunter2|only-the-secret-value/);
    expect(
      loadConfig({ STORAGE_URL: 's3://bucket', AWS_ACCESS_KEY_ID: 'a', AWS_SECRET_ACCESS_KEY: 'b' })
        .STORAGE_URL,
    ).toMatchObject({ kind: 's3', bucket: 'bucket' });
  });
});
