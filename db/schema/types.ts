import { customType } from 'drizzle-orm/pg-core';

/** PostgreSQL tsvector, used by the full-text fallback search. */
export const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});

/** Raw bytes (session secret hashes). */
export const bytea = customType<{ data: Uint8Array; driverData: Uint8Array }>({
  dataType() {
    return 'bytea';
  },
});
