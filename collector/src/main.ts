/** `pnpm --filter @kizuna/collector start`: the collector alone, configured by the environment. */
import { readEnv } from './env.ts';
import { startServer } from './server.ts';

const server = await startServer(readEnv());
console.log(`Kizuna collector listening on ${server.url}`);
const stop = () => server.close().then(() => process.exit(0));
process.once('SIGINT', stop).once('SIGTERM', stop);
