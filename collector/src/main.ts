/** `pnpm --filter @kizuna/collector start`: the collector alone, configured by the environment. */
import { readEnv } from './env.ts';
import { ConfigError } from './lib/errors.ts';
import { guardProcess, startServer, stopOnSignal } from './server.ts';

try {
  guardProcess();
  const server = await startServer(readEnv());
  console.log(`Kizuna collector listening on ${server.url}`);
  process.exit(await stopOnSignal(() => server.close()));
} catch (error) {
  // a wrong setting is one line naming it; anything else keeps its stack for the bug report
  console.error(error instanceof ConfigError ? `kizuna: ${error.message}` : error);
  process.exit(1);
}
