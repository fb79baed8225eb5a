import { buildApiDemo } from './app.js';
import { ApiDemoConfigError, loadApiDemoConfig, type ApiDemoConfig } from './config.js';

/** Starts the demo API and stops it cleanly on SIGINT or SIGTERM. */
async function main(): Promise<void> {
  let config: ApiDemoConfig;
  try {
    config = loadApiDemoConfig();
  } catch (error) {
    if (!(error instanceof ApiDemoConfigError)) throw error;
    process.stderr.write(`api-demo: ${error.message}\n`);
    process.exitCode = 2;
    return;
  }
  const app = buildApiDemo(config);
  await app.listen({ host: config.host, port: config.port });
  app.log.info(
    {
      audience: config.audience,
      issuers: config.issuers,
      corsOrigins: config.corsOrigins,
      introspection: config.introspection ? 'on' : 'off',
    },
    'api-demo accepts Gatehouse tokens',
  );

  const stop = (): void => {
    void app.close().then(() => {
      process.exitCode = 0;
    });
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`api-demo: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
