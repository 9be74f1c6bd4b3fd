import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  BODY_HEADROOM_BYTES,
  renderTemplate,
  TEMPLATES_DIR,
  upstreamServers,
  templateVars,
} from '../../infra/nginx/render.js';
import { requireTool, ROOT, run } from './tools.js';

const vars = templateVars({
  upstream: 'app:5000',
  httpListen: '80',
  httpsListen: '443',
  serverName: 'ops.example.com',
  httpRedirect: true,
  tlsCert: '/etc/nginx/certs/tiny-agent.crt',
  tlsKey: '/etc/nginx/certs/tiny-agent.key',
  webRoot: '/usr/share/nginx/html',
  uploadMaxBytes: 104_857_600,
});
const templates = readdirSync(TEMPLATES_DIR).filter((f) => f.endsWith('.template'));

describe('nginx templates', () => {
  it('render here exactly as the nginx image renders them (envsubst of the NGINX_* variables only)', () => {
    requireTool('envsubst', ['--version'], 'gettext-base');
    expect(templates.length).toBeGreaterThanOrEqual(2);
    for (const t of templates) {
      const text = readFileSync(path.join(TEMPLATES_DIR, t), 'utf8');
      // the image passes envsubst the list of defined variables matching NGINX_ENVSUBST_FILTER
      const list = Object.keys(vars)
        .map((k) => `\${${k}}`)
        .join(' ');
      const r = run('envsubst', [list], {
        input: text,
        env: { PATH: process.env.PATH, ...vars, HOST: 'must-not-appear' },
      });
      expect(r.code).toBe(0);
      expect(renderTemplate(text, vars), t).toBe(r.out);
      expect(r.out).not.toContain('${');
      expect(r.out).toContain('$http_upgrade'); // nginx's own variables survive
    }
  });

  it('refuse to render with a variable missing', () => {
    const { NGINX_WEB_ROOT: _, ...partial } = vars;
    const site = readFileSync(path.join(TEMPLATES_DIR, 'tiny-agent.site.inc.template'), 'utf8');
    expect(() => renderTemplate(site, partial)).toThrow(/NGINX_WEB_ROOT/);
  });

  it("take the upload limit from the app's UPLOAD_MAX_BYTES, in the image as in render.ts", () => {
    const script = path.join(
      ROOT,
      'infra/nginx/docker-entrypoint.d/15-tiny-agent-upload-limit.envsh',
    );
    const inImage = (env: Record<string, string>) =>
      run('sh', ['-c', `. "${script}"; printf %s "$NGINX_CLIENT_MAX_BODY_SIZE"`], {
        env: { PATH: process.env.PATH, ...env },
      }).out;
    expect(inImage({ UPLOAD_MAX_BYTES: '500000000' })).toBe(
      String(500_000_000 + BODY_HEADROOM_BYTES),
    );
    expect(inImage({})).toBe(vars.NGINX_CLIENT_MAX_BODY_SIZE); // the default, 100 MiB
    expect(inImage({ UPLOAD_MAX_BYTES: '1', NGINX_CLIENT_MAX_BODY_SIZE: '5m' })).toBe('5m'); // an explicit value wins
  });

  it('write one upstream server per instance in NGINX_UPSTREAM, in the image as in render.ts', () => {
    const script = path.join(ROOT, 'infra/nginx/docker-entrypoint.d/16-tiny-agent-upstreams.envsh');
    const inImage = (upstream: string) =>
      run('sh', ['-c', `. "${script}"; printf %s "$NGINX_UPSTREAM_SERVERS"`], {
        env: { PATH: process.env.PATH, NGINX_UPSTREAM: upstream },
      }).out;
    for (const upstream of ['app:5000', 'a:5000 b:5000,c:5000', ' a:1 , b:2 ']) {
      expect(inImage(upstream)).toBe(upstreamServers(upstream));
    }
    expect(upstreamServers('a:5000 b:5000,c:5000').match(/server /g)).toHaveLength(3);
    expect(upstreamServers('a:1')).toBe('server a:1 max_fails=3 fail_timeout=10s; ');
  });
});
