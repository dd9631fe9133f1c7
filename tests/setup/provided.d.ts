declare module 'vitest' {
  export interface ProvidedContext {
    /** Admin URL of the PostgreSQL server, or '' when unavailable. */
    pgAdminUrl: string;
    /** Name of a migrated template database to clone per test file. */
    pgTemplate: string;
    /** Meilisearch started for this run, or '' when unavailable. */
    meiliUrl: string;
    /** Why a service is unavailable (shown by skipped suites). */
    unavailable: string;
    /** Base URL of the built server under test (e2e only). */
    serverUrl: string;
    /** Database the e2e server uses. */
    serverDatabaseUrl: string;
    /** DATA_DIR of the e2e server (mail .eml files land under it). */
    serverDataDir: string;
    /** Meilisearch index the e2e server searches (a second server may share it). */
    serverMeiliIndex: string;
  }
}
export {};
