// `backup` and `restore` as a user runs them: their own processes, configured by the environment.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { authHeaders, type Auth } from '../test/harness.js';

const TSX_LOADER = pathToFileURL(
  path.resolve(import.meta.dirname, '../../../node_modules/tsx/dist/esm/index.mjs'),
).href;

export interface OpsResult {
  code: number | null;
  out: string;
  err: string;
}

/** Runs `api/src/ops/<script>.ts args…` with exactly `env` (plus PATH and HOME), from `cwd`. */
export function runOps(
  script: 'backup' | 'restore',
  args: string[],
  env: Record<string, string>,
  cwd: string,
): Promise<OpsResult> {
  const child = spawn(
    process.execPath,
    ['--import', TSX_LOADER, path.join(import.meta.dirname, `${script}.ts`), ...args],
    {
      cwd,
      env: { PATH: process.env.PATH!, HOME: process.env.HOME ?? '/root', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  return new Promise((resolve) => child.once('close', (code) => resolve({ code, out, err })));
}

/** Every file below `dir` with its size and content hash-free fingerprint (size:mtime), for "untouched". */
export function tree(dir: string, rel = ''): Record<string, string> {
  const out: Record<string, string> = {};
  let entries;
  try {
    entries = readdirSync(path.join(dir, rel), { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const r = path.join(rel, e.name);
    if (e.isDirectory()) Object.assign(out, tree(dir, r));
    else {
      const st = statSync(path.join(dir, r));
      out[r] = `${st.size}:${st.mtimeMs}`;
    }
  }
  return out;
}

export const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'));

/** The bytes a client downloads from `url` with `auth`. */
export async function bytesAt(url: string, auth: Auth): Promise<Buffer> {
  const res = await fetch(url, { headers: authHeaders(auth) });
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status}`);
  return Buffer.from(await res.arrayBuffer());
}

/** What a server shows of every run and file, for comparing two servers through the API only. */
export async function visibleData(
  s: { gql: (q: string, v?: Record<string, unknown>, a?: Auth) => Promise<any>; url: string },
  auth: Auth,
  finishedOnly: Set<string> | null = null,
  runFields = 'id commandName argv status exitCode outputBytes',
) {
  const q = async (query: string) => {
    const r = await s.gql(query, {}, auth);
    if (r.errors) throw new Error(JSON.stringify(r.errors));
    return r;
  };
  const runs = (
    await q(`{ commandRuns(first: 100) { edges { node { ${runFields} } } } }`)
  ).data.commandRuns.edges.map((e: any) => e.node);
  const files = (
    await q(`{ files(first: 100) { edges { node { id name size sha256 } } } }`)
  ).data.files.edges.map((e: any) => e.node);
  const outputs: Record<string, string> = {};
  for (const r of runs)
    if (!finishedOnly || finishedOnly.has(r.id))
      outputs[r.id] = (await bytesAt(`${s.url}/runs/${r.id}/output.txt`, auth)).toString('base64');
  const contents: Record<string, string> = {};
  for (const f of files)
    contents[f.id] = (await bytesAt(`${s.url}/files/${f.id}`, auth)).toString('base64');
  return { runs, files, outputs, contents };
}
