/**
 * Renders infra/nginx/templates/*.template exactly as the official nginx image does at start
 * (envsubst of the NGINX_* variables), for the tests and for a bare-metal nginx.
 *
 *   npx tsx infra/nginx/render.ts --conf-dir /etc/nginx/conf.d --upstream 127.0.0.1:5000 \
 *     --web-root /opt/tiny-agent/web/dist --server-name ops.example.com \
 *     --tls-cert /etc/ssl/tiny-agent.crt --tls-key /etc/ssl/tiny-agent.key
 *
 * `--standalone DIR` writes DIR/nginx.conf (pid, logs and temp paths inside DIR) and DIR/conf.d/,
 * for `nginx -p DIR -c DIR/nginx.conf -e DIR/error.log -g 'daemon off;'` as any user.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

export const TEMPLATES_DIR = fileURLToPath(new URL('./templates/', import.meta.url));
/** multipart framing and the GraphQL `operations`/`map` fields (≤ 1 MiB each) around one file */
export const BODY_HEADROOM_BYTES = 2 * 1024 * 1024;

export interface NginxOptions {
  /** app instance(s): host:port, or several separated by spaces or commas */
  upstream: string;
  /** nginx `listen` values: a port, or address:port */
  httpListen: string;
  httpsListen: string;
  serverName?: string;
  /** plain HTTP answers with a redirect to HTTPS (production); off in tests */
  httpRedirect?: boolean;
  tlsCert: string;
  tlsKey: string;
  webRoot: string;
  /** the app's UPLOAD_MAX_BYTES */
  uploadMaxBytes: number;
}

/** One `server` line per instance (as docker-entrypoint.d/16-tiny-agent-upstreams.envsh writes them). */
export function upstreamServers(upstream: string): string {
  return upstream
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((peer) => `server ${peer} max_fails=3 fail_timeout=10s; `)
    .join('');
}

export function templateVars(o: NginxOptions): Record<string, string> {
  return {
    NGINX_UPSTREAM: o.upstream,
    NGINX_UPSTREAM_SERVERS: upstreamServers(o.upstream),
    NGINX_HTTP_LISTEN: o.httpListen,
    NGINX_HTTPS_LISTEN: o.httpsListen,
    NGINX_SERVER_NAME: o.serverName ?? '_',
    NGINX_HTTP_REDIRECT: o.httpRedirect === false ? 'off' : 'on',
    NGINX_TLS_CERT: o.tlsCert,
    NGINX_TLS_KEY: o.tlsKey,
    NGINX_WEB_ROOT: o.webRoot,
    NGINX_CLIENT_MAX_BODY_SIZE: String(o.uploadMaxBytes + BODY_HEADROOM_BYTES),
  };
}

/** `${NAME}` for each given name, as envsubst does with an explicit variable list; a missing one throws. */
export function renderTemplate(text: string, vars: Record<string, string>): string {
  const out = text.replace(
    /\$\{([A-Z_][A-Z0-9_]*)\}/g,
    (whole, name: string) => vars[name] ?? whole,
  );
  const missing = [...new Set([...out.matchAll(/\$\{(NGINX_[A-Z0-9_]*)\}/g)].map((m) => m[1]))];
  if (missing.length)
    throw new Error(`nginx template variables without a value: ${missing.join(', ')}`);
  return out;
}

/** Every template into `confDir` (its name without `.template`); returns the files written. */
export function renderSite(confDir: string, o: NginxOptions): string[] {
  const vars = templateVars(o);
  mkdirSync(confDir, { recursive: true });
  return readdirSync(TEMPLATES_DIR)
    .filter((f) => f.endsWith('.template'))
    .map((f) => {
      const target = path.join(confDir, f.slice(0, -'.template'.length));
      writeFileSync(
        target,
        renderTemplate(readFileSync(path.join(TEMPLATES_DIR, f), 'utf8'), vars),
      );
      return target;
    });
}

/** A whole nginx configuration confined to `dir`: runs as the current user, nothing outside `dir`. */
export function renderStandalone(dir: string, o: NginxOptions): string {
  renderSite(path.join(dir, 'conf.d'), o);
  const p = (name: string) => path.join(dir, name);
  const mime = existsSync('/etc/nginx/mime.types')
    ? 'include /etc/nginx/mime.types;'
    : 'types { text/html html; text/css css; application/javascript js; application/json json map; image/svg+xml svg; }';
  const conf = [
    // as root, workers would switch to `nobody` and lose access to a private temp dir
    process.getuid?.() === 0 ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${p('nginx.pid')};`,
    `error_log ${p('error.log')} info;`,
    'events { worker_connections 1024; }',
    'http {',
    `  ${mime}`,
    '  default_type application/octet-stream;',
    `  access_log ${p('access.log')};`,
    `  client_body_temp_path ${p('client_body_temp')};`,
    `  proxy_temp_path ${p('proxy_temp')};`,
    `  fastcgi_temp_path ${p('fastcgi_temp')};`,
    `  uwsgi_temp_path ${p('uwsgi_temp')};`,
    `  scgi_temp_path ${p('scgi_temp')};`,
    '  sendfile on;',
    '  keepalive_timeout 65;',
    '  include conf.d/*.conf;',
    '}',
    '',
  ].join('\n');
  writeFileSync(p('nginx.conf'), conf);
  return p('nginx.conf');
}

function main() {
  const { values } = parseArgs({
    options: {
      'conf-dir': { type: 'string' },
      standalone: { type: 'string' },
      upstream: { type: 'string', default: '127.0.0.1:5000' },
      'http-listen': { type: 'string', default: '80' },
      'https-listen': { type: 'string', default: '443' },
      'server-name': { type: 'string', default: '_' },
      'http-redirect': { type: 'string', default: 'on' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      'web-root': { type: 'string', default: path.resolve('web/dist') },
      'upload-max-bytes': { type: 'string', default: '104857600' },
    },
  });
  const outDir = values['conf-dir'] ?? values.standalone;
  if (!outDir || !values['tls-cert'] || !values['tls-key']) {
    console.error(
      'usage: render.ts (--conf-dir DIR | --standalone DIR) --tls-cert FILE --tls-key FILE [--upstream host:port] [--web-root DIR] …',
    );
    process.exit(64);
  }
  const opts: NginxOptions = {
    upstream: values.upstream,
    httpListen: values['http-listen'],
    httpsListen: values['https-listen'],
    serverName: values['server-name'],
    httpRedirect: values['http-redirect'] !== 'off',
    tlsCert: path.resolve(values['tls-cert']),
    tlsKey: path.resolve(values['tls-key']),
    webRoot: path.resolve(values['web-root']),
    uploadMaxBytes: Number(values['upload-max-bytes']),
  };
  const written = values.standalone
    ? [renderStandalone(path.resolve(values.standalone), opts)]
    : renderSite(path.resolve(outDir), opts);
  console.log(written.join('\n'));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
