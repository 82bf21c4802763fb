import { loadConfig } from './config';
import { createLogger } from './logger';
import { serve } from './process/serve';
import { startupFailureLine } from './process/startup-error';

// The process entry: configuration, then one serving process (src/process/serve.ts).
async function main(): Promise<void> {
  const config = loadConfig();
  await serve(config, createLogger(config.logLevel));
}

main().catch((err: unknown) => {
  console.error(startupFailureLine(err));
  process.exit(1);
});
