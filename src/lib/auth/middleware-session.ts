import type { APIContext } from 'astro';

/**
 * Reads the session cookie into locals. Accounts land with the accounts issue;
 * until then every visitor is anonymous.
 */
export async function loadSession(_context: Pick<APIContext, 'cookies' | 'locals'>): Promise<void> {}
