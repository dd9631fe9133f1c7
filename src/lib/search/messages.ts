/**
 * Search messages shown both by the server (params.ts) and by the live-search
 * script in the browser, so they live apart from zod and the taxonomy (the
 * script bundles only this file). Fields are named as the /jobs page labels them.
 */
export const DISTANCE_NEEDS_ZIP = 'To sort by distance, enter your 5-digit ZIP code in “Near ZIP”.';
export const ZIP_FORMAT = 'Enter a 5-digit ZIP code in “Near ZIP”, like 19103.';
