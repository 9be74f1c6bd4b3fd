import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { startServer, type TestServer } from '../../api/src/test/harness.js';
import {
  composeConfig,
  inProfile,
  prefetchComposeConfigs,
  requireTool,
  ROOT,
  run,
} from './tools.js';

const MON = path.join(ROOT, 'infra/monitoring');
/** "host_ip:published:target", whichever syntax the compose version prints. */
const portOf = (p: any) =>
  typeof p === 'string'
    ? p.replace(/\/tcp$/, '')
    : [p.host_ip, p.published, p.target].filter((x) => x !== undefined).join(':');
const commandOf = (c: string | string[]) => (Array.isArray(c) ? c.join(' ') : c);

describe('compose files', () => {
  beforeAll(() =>
    prefetchComposeConfigs([
      ...[[], ['slim'], ['monitoring'], ['scale'], ['slim', 'monitoring']].map(
        (p) => ['docker-compose.yml', p] as [string, string[]],
      ),
      ['docker-compose.yml', ['slim', 'monitoring', 'scale']],
      ['docker-compose.dev.yml'],
    ]),
  );

  it('docker-compose.yml validates, alone and with every profile', () => {
    for (const profiles of [[], ['slim'], ['monitoring'], ['scale'], ['slim', 'monitoring']])
      composeConfig('docker-compose.yml', profiles);
    const cfg = composeConfig('docker-compose.yml', ['slim', 'monitoring', 'scale']);
    expect(inProfile(cfg)).toEqual(['app', 'nginx']);
    expect(inProfile(cfg, 'slim')).toEqual(['app-slim']);
    expect(inProfile(cfg, 'scale')).toEqual(['postgres', 'redis']);
    expect(inProfile(cfg, 'monitoring')).toEqual([
      'alertmanager',
      'cadvisor',
      'grafana',
      'node-exporter',
      'prometheus',
    ]);
  });

  it('production: nginx in front on the bridge network, the app hardened and unpublished', () => {
    const { services, networks } = composeConfig('docker-compose.yml');
    expect(networks.tiny_agent_network.driver).toBe('bridge');
    const { app, nginx } = services;
    for (const s of [app, nginx]) {
      expect(Object.keys(s.networks)).toEqual(['tiny_agent_network']);
      expect(s.restart).toBe('unless-stopped');
      expect(s.read_only).toBe(true);
      expect(s.deploy.resources.limits.memory).toBeDefined();
      expect(s.deploy.resources.limits.cpus).toBeDefined();
    }
    expect(app.ports).toBeUndefined();
    expect(app.environment).toMatchObject({ HOST: '0.0.0.0', TRUST_PROXY: 'true' });
    expect(app.tmpfs).toEqual(['/tmp']);
    expect(app.cap_drop).toEqual(['ALL']);
    const mounts = (app.volumes as string[]).map((v) => v.replace(`${ROOT}/`, './'));
    expect(mounts).toEqual(
      expect.arrayContaining([
        './data:/app/data:rw',
        './logs:/app/logs:rw',
        './.env:/app/.env:ro',
        './agent.yaml:/app/agent.yaml:ro',
      ]),
    );
    expect(nginx.build.target).toBe('nginx');
    expect(nginx.depends_on.app.condition).toBe('service_healthy');
    expect(nginx.ports.map(portOf)).toEqual(['80:80', '443:443']);
    expect(nginx.environment).toMatchObject({
      NGINX_UPSTREAM: 'app:5000',
      UPLOAD_MAX_BYTES: '104857600',
    });
  });

  it('slim: the app alone on 5000 (loopback unless SLIM_PUBLISH says otherwise); TRUST_PROXY left to .env', () => {
    const slim = composeConfig('docker-compose.yml', ['slim']).services['app-slim'];
    expect(slim.ports.map(portOf)).toEqual(['127.0.0.1:5000:5000']);
    expect(slim.environment.TRUST_PROXY).toBeUndefined();
    expect(slim.read_only).toBe(true);
  });

  it('every file the compose files mount from infra/ exists', () => {
    for (const file of ['docker-compose.yml', 'docker-compose.dev.yml']) {
      const { services } = composeConfig(
        file,
        file === 'docker-compose.yml' ? ['slim', 'monitoring', 'scale'] : [],
      );
      for (const s of Object.values(services as Record<string, any>)) {
        for (const v of (s.volumes ?? []) as string[]) {
          const source = v.split(':')[0]!;
          if (source.startsWith(path.join(ROOT, 'infra')))
            expect(existsSync(source), source).toBe(true);
        }
      }
    }
  });

  it('docker-compose.dev.yml validates: the repository mounted, API and UI reloading', () => {
    const { services } = composeConfig('docker-compose.dev.yml');
    expect(commandOf(services.api.command)).toContain('tsx watch');
    expect(commandOf(services.web.command)).toContain('vite');
    expect(services.api.volumes).toEqual(expect.arrayContaining([`${ROOT}:/app:rw`]));
    expect(services.api.depends_on.deps.condition).toBe('service_completed_successfully');
  });

  it('Grafana is provisioned with the data source the dashboard uses, from the mounted folders', () => {
    const grafana = composeConfig('docker-compose.yml', ['monitoring']).services.grafana;
    const mounts = Object.fromEntries(
      (grafana.volumes as string[]).map((v) => v.split(':').slice(0, 2).reverse()),
    );
    const ds = parse(
      readFileSync(
        path.join(mounts['/etc/grafana/provisioning'], 'datasources/prometheus.yml'),
        'utf8',
      ),
    ).datasources[0];
    const provider = parse(
      readFileSync(
        path.join(mounts['/etc/grafana/provisioning'], 'dashboards/tiny-agent.yml'),
        'utf8',
      ),
    ).providers[0];
    expect(provider.options.path).toBe('/var/lib/grafana/dashboards');
    expect(mounts['/var/lib/grafana/dashboards']).toBe(path.join(MON, 'grafana/dashboards'));
    const dashboard = JSON.parse(
      readFileSync(path.join(MON, 'grafana/dashboards/tiny-agent.json'), 'utf8'),
    );
    for (const p of dashboard.panels.filter((p: any) => p.type !== 'row'))
      expect(p.datasource.uid, p.title).toBe(ds.uid);
  });
});

describe('Prometheus, alerts and /metrics', () => {
  let s: TestServer;
  let metricsText: string;
  let work: string;

  beforeAll(async () => {
    requireTool('promtool', ['--version'], 'prometheus');
    work = mkdtempSync(path.join(tmpdir(), 'tiny-agent-prom-'));
    s = await startServer(
      {},
      {
        agentYaml: `commands:\n  - name: ok\n    title: ok\n    argv: ["true"]\nlogs:\n  - name: own\n    path: logs/x.log\n`,
      },
    );
    // one of everything, so every metric family has samples
    const admin = await s.login();
    await s.gql(`mutation { login(username: "admin", password: "not-the-password") { token } }`);
    await s.gql(`mutation { runCommand(name: "ok") { id } }`, {}, admin);
    await s.upload({ name: 'a.txt', content: 'hello\n', type: 'text/plain' }, admin);
    const sub = s.subscribeWs(
      `subscription { commandRunUpdated { id } }`,
      {},
      { token: admin.token },
    );
    await new Promise((r) => setTimeout(r, 300));
    metricsText = await (await fetch(`${s.url}/metrics`)).text();
    sub.stop();
  });
  afterAll(async () => {
    await s?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('promtool accepts the config, the rules, and the app’s /metrics', () => {
    // as in the container: the token file compose writes from METRICS_TOKEN beside the config
    const conf = path.join(work, 'etc');
    mkdirSync(path.join(conf, 'secrets'), { recursive: true });
    for (const f of ['prometheus.yml', 'alerts.yml'])
      copyFileSync(path.join(MON, f), path.join(conf, f));
    writeFileSync(path.join(conf, 'secrets/metrics-token'), 'a-token-0123456789abcdef');
    for (const args of [
      ['check', 'config', path.join(conf, 'prometheus.yml')],
      ['check', 'rules', path.join(MON, 'alerts.yml')],
      ['test', 'rules', path.join(MON, 'alerts.test.yml')],
    ]) {
      const r = run('promtool', args);
      expect(r.code, `promtool ${args.join(' ')}\n${r.out}`).toBe(0);
    }
    const m = run('promtool', ['check', 'metrics'], { input: metricsText });
    expect(m.code, m.out).toBe(0);
  });

  it('Prometheus scrapes the app with METRICS_TOKEN from .env, written to the file prometheus.yml sends', () => {
    const job = parse(readFileSync(path.join(MON, 'prometheus.yml'), 'utf8')).scrape_configs.find(
      (j: any) => j.job_name === 'tiny-agent',
    );
    expect(job.authorization).toEqual({
      type: 'Bearer',
      credentials_file: 'secrets/metrics-token',
    });
    const prom = composeConfig('docker-compose.yml', ['monitoring']).services.prometheus;
    expect(prom.environment).toHaveProperty('METRICS_TOKEN');
    expect(prom.tmpfs).toEqual(['/etc/prometheus/secrets']);
    const script = (prom.entrypoint as string[]).join('\n');
    expect(script).toContain('> /etc/prometheus/secrets/metrics-token');
    // `docker-compose config` prints the $$ escapes as written
    expect(script).toMatch(/exec \/bin\/prometheus "\$\$?@"/);
    expect(commandOf(prom.command)).toContain('--config.file=/etc/prometheus/prometheus.yml');
  });

  it('Alertmanager’s config is valid (amtool)', () => {
    requireTool('amtool', ['--version'], 'prometheus-alertmanager');
    const r = run('amtool', ['check-config', path.join(MON, 'alertmanager.yml')]);
    expect(r.code, r.out).toBe(0);
  });

  it('/metrics carries operations, subscriptions, commands, uploads, log lines and failed logins', () => {
    const types = new Map(
      [...metricsText.matchAll(/^# TYPE (\S+) (\S+)$/gm)].map((m) => [m[1]!, m[2]!]),
    );
    expect(Object.fromEntries([...types].filter(([n]) => !/process_|nodejs_/.test(n)))).toEqual({
      tiny_agent_graphql_operations_total: 'counter',
      tiny_agent_graphql_operation_duration_seconds: 'histogram',
      tiny_agent_failed_logins_total: 'counter',
      tiny_agent_open_subscriptions: 'gauge',
      tiny_agent_open_websockets: 'gauge',
      tiny_agent_websocket_buffered_bytes: 'gauge',
      tiny_agent_running_commands: 'gauge',
      tiny_agent_command_runs_total: 'counter',
      tiny_agent_command_duration_seconds: 'histogram',
      tiny_agent_log_lines_streamed_total: 'counter',
      tiny_agent_uploaded_bytes_total: 'counter',
      tiny_agent_uploads_total: 'counter',
      tiny_agent_retention_removed_total: 'counter',
      tiny_agent_retention_freed_bytes_total: 'counter',
      tiny_agent_notifications_total: 'counter',
    });
    expect(metricsText).toMatch(/^tiny_agent_open_subscriptions\{kind="commandRunUpdated"\} 1$/m);
    expect(metricsText).toMatch(/^tiny_agent_failed_logins_total 1$/m);
    expect(metricsText).toMatch(
      /^tiny_agent_command_runs_total\{command="ok",status="SUCCEEDED"\} 1$/m,
    );
    expect(metricsText).toMatch(/^tiny_agent_uploaded_bytes_total 6$/m);
  });

  it('every tiny_agent metric the alerts and the dashboard use exists, and every dashboard query parses', () => {
    const known = new Set([...metricsText.matchAll(/^# TYPE (\S+) /gm)].map((m) => m[1]!));
    const dashboard = JSON.parse(
      readFileSync(path.join(MON, 'grafana/dashboards/tiny-agent.json'), 'utf8'),
    );
    const exprs: string[] = dashboard.panels.flatMap((p: any) =>
      (p.targets ?? []).map((t: any) => t.expr as string),
    );
    expect(exprs.length).toBeGreaterThan(15);
    const alerts = readFileSync(path.join(MON, 'alerts.yml'), 'utf8');
    for (const text of [...exprs, alerts]) {
      for (const [name] of text.matchAll(/\btiny_agent_[a-z0-9_]+/g)) {
        const family = name.replace(/_(bucket|sum|count)$/, '');
        expect(known.has(name) || known.has(family), `${name} is not in /metrics`).toBe(true);
      }
    }
    // promtool parses each query as a recording rule ($__rate_interval is Grafana's, 5m here)
    const rules = {
      groups: [
        {
          name: 'dashboard',
          rules: exprs.map((e, i) => ({
            record: `dashboard:query_${i}`,
            expr: e.replaceAll('$__rate_interval', '5m'),
          })),
        },
      ],
    };
    const file = path.join(work, 'dashboard-queries.yml');
    writeFileSync(file, JSON.stringify(rules));
    const r = run('promtool', ['check', 'rules', file]);
    expect(r.code, r.out).toBe(0);
  });
});
