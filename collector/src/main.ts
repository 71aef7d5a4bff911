/** `pnpm --filter @kizuna/collector start`: the collector alone, configured by the environment. */
import { readEnv } from './env.ts';
import { guardProcess, startServer, stopOnSignal } from './server.ts';

guardProcess();
const server = await startServer(readEnv());
console.log(`Kizuna collector listening on ${server.url}`);
process.exit(await stopOnSignal(() => server.close()));
