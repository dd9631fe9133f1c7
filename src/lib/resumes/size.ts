/**
 * The resume size limit and the sentence that states it, apart from the file
 * inspection (which needs Node) so the edge, the services and the browser's
 * before-upload check all say the same thing.
 */
export const MAX_RESUME_BYTES = 5 * 1024 * 1024;

/**
 * 12.4 MB → "12 MB", 5.01 MB → "5.1 MB": whole megabytes once the first decimal stops
 * mattering; below 10 rounded up, so a file just over the limit never reads as the limit.
 */
export function megabytes(bytes: number): string {
  const mb = bytes / (1024 * 1024);
  const shown = mb >= 10 ? Math.round(mb) : Math.ceil(mb * 10) / 10;
  return `${shown.toLocaleString('en-US')} MB`;
}

/** "This file is 12 MB; the limit is 5 MB." */
export function fileTooLargeMessage(bytes: number, limit = MAX_RESUME_BYTES): string {
  return `This file is ${megabytes(bytes)}; the limit is ${megabytes(limit)}.`;
}
