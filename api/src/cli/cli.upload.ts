import { openAsBlob, statSync } from 'node:fs';
import path from 'node:path';
import { print as printDoc } from 'graphql';
import { parseCommand } from './cli.args.js';
import { authHeader, readAnswer, send, USER_AGENT } from './cli.client.js';
import { resolveTarget } from './cli.config.js';
import { CliUpload } from './cli.documents.js';
import type { CliUploadMutation } from './generated/graphql.js';
import { CliError, EXIT } from './cli.errors.js';
import { printJson, table } from './cli.output.js';

export const UPLOAD_HELP = `usage: tiny-agent upload <file> [--json]

Uploads a file (streamed from disk) and prints its id, the one a command's \`file\` argument
takes, and what the server found: size, type (judged from the content) and SHA-256.

  --json         the stored file as JSON
  --url, --token`;

export async function upload(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommand('upload', argv, { json: { type: 'boolean' } }, 1);
  if (values.help) return (void process.stdout.write(UPLOAD_HELP + '\n'), EXIT.OK);
  const target = resolveTarget(values as { url?: string; token?: string }, process.env);
  const file = positionals[0]!;
  let blob: Blob;
  try {
    if (!statSync(file).isFile()) throw new Error('not a regular file');
    blob = await openAsBlob(file); // read from disk while it is sent, never whole in memory
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`, EXIT.NOINPUT);
  }
  // the GraphQL multipart request spec: operations, map, then the file part
  const form = new FormData();
  form.append(
    'operations',
    JSON.stringify({ query: printDoc(CliUpload), variables: { file: null } }),
  );
  form.append('map', JSON.stringify({ 0: ['variables.file'] }));
  form.append('0', blob, path.basename(file));
  const res = await send(target, '/graphql', {
    method: 'POST',
    headers: {
      accept: 'application/graphql-response+json, application/json',
      'x-graphql-yoga-csrf': '1', // a script is no browser, but the server asks every multipart request
      'user-agent': USER_AGENT,
      ...authHeader(target),
    },
    body: form,
  });
  const { uploadFile: f } = await readAnswer<CliUploadMutation>(res);
  if (values.json) printJson(f);
  else
    process.stdout.write(
      table([
        ['id', f.id],
        ['name', f.name],
        ['size', String(f.size)],
        ['type', f.mimeType],
        ['sha256', f.sha256],
        ['download', target.url + f.downloadUrl],
      ]) + '\n',
    );
  return EXIT.OK;
}
