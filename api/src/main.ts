import path from 'node:path';
import { createApp } from './app.js';
import { AgentConfigError } from './config/agent-config.js';
import { ConfigError, loadConfig, readDotEnv } from './config/config.js';

// the real environment wins over .env
const env = { ...readDotEnv(path.resolve('.env')), ...process.env };
let config;
try {
  config = loadConfig(env);
} catch (err) {
  if (!(err instanceof ConfigError)) throw err;
  console.error(err.message);
  process.exit(78);
}

let app;
try {
  app = await createApp(config, { consoleLog: true });
} catch (err) {
  if (!(err instanceof AgentConfigError)) throw err;
  console.error(err.message);
  process.exit(78);
}
await app.start();

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(1), 10_000).unref();
    app.stop().then(
      () => process.exit(0),
      (err) => {
        console.error(err);
        process.exit(1);
      },
    );
  });
}
