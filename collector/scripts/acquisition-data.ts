/**
 * `pnpm --filter @kizuna/collector acquisition:data [DIR]` — the one command that updates the
 * acquisition data: copies the public lists, as published, from DIR (default: the team's
 * shared/data/acquisition/ beside the repository) into collector/src/enrich/acquisition/upstream/, then
 * regenerates collector/src/enrich/acquisition/sources.json from them and our additions, with a
 * new rules version. Prints where the lists disagree and who won (build-data.ts: PRECEDENCE).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { buildSourceData, readRuleModules, readUpstream, serializeSourceData, UPSTREAM_DIR, UPSTREAM_FILES } from '../src/enrich/acquisition/build-data.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const from = path.resolve(process.argv[2] ?? path.join(here, '../../../shared/data/acquisition'));
const upstream = fileURLToPath(UPSTREAM_DIR);
const output = path.join(here, '../src/enrich/acquisition/sources.json');

mkdirSync(upstream, { recursive: true });
// Read and written, not copied: a copy would keep the source's read-only mode and block the next update.
for (const file of Object.values(UPSTREAM_FILES)) writeFileSync(path.join(upstream, file), readFileSync(path.join(from, file)));

const { data, conflicts } = buildSourceData(readUpstream(pathToFileURL(upstream + path.sep)), readRuleModules());
writeFileSync(output, serializeSourceData(data));

console.log(`copied ${Object.keys(UPSTREAM_FILES).length} files from ${from}`);
console.log(`wrote ${path.relative(process.cwd(), output)}: ${Object.keys(data.hosts).length} hosts, ${Object.keys(data.names).length} names, rules version ${data.version}`);
console.log(`${conflicts.length} hosts the lists put in different categories (first claim wins):`);
for (const c of conflicts) console.log(`  ${c.host} → ${c.category}   (${c.claims.join('; ')})`);
