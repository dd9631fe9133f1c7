/** `npm run db:migrate`: apply committed migrations to DATABASE_URL (or the embedded PGlite). */
import path from 'node:path';
import { loadConfig } from '#lib/env';
import { openDb } from './client';

const config = loadConfig();
const h = await openDb({ databaseUrl: config.DATABASE_URL, pgliteDir: path.join(config.dataDir, 'pglite') });
await h.migrate();
await h.close();
console.log('Migrations applied.');
