/**
 * Whether a resume's text could be read (for recruiters' full-text search).
 * 'ok' means extraction finished, even when the file holds no text (a scanned
 * PDF); 'failed' means it was stopped or refused, for one of TEXT_FAILURES:
 *   unreadable  the file could not be parsed (not well-formed XML, a broken PDF)
 *   timeout     the worker ran past its wall-clock limit and was terminated
 *   too_large   the worker went past its memory limit (a stream that inflates hugely)
 *   busy        no extraction slot came free in time (too many uploads at once)
 * The upload is kept either way; only its words are missing.
 */
export const TEXT_STATUSES = ['ok', 'failed'] as const;
export type TextStatus = (typeof TEXT_STATUSES)[number];
export const TEXT_FAILURES = ['unreadable', 'timeout', 'too_large', 'busy'] as const;
export type TextFailure = (typeof TEXT_FAILURES)[number];
