/** `npm run db:migrate`: apply committed migrations to DATABASE_URL (or the embedded PGlite). */
import path from 'node:path';
import { openDb } from './client';

const h = await openDb({ databaseUrl: process.env.DATABASE_URL || undefined, pgliteDir: path.join(process.env.DATA_DIR || '.data', 'pglite') });
await h.migrate();
await h.close();
console.log('Migrations applied.');
