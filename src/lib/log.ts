import pino, { type Logger } from 'pino';

/**
 * The process's logger: JSON lines on stdout (one object per event, with the request id
 * where there is one), readable with pino-pretty in development. Secrets and personal
 * data never reach the log: these paths are censored wherever they appear, and request
 * logs carry the route pattern, never the raw URL (which can hold tokens and ids).
 */
const REDACT = [
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'email',
  'to',
  'phone',
  'text',
  'resumeText',
  'authorization',
  'cookie',
  '*.password',
  '*.token',
  '*.email',
  '*.to',
  '*.phone',
  '*.text',
  '*.resumeText',
  '*.authorization',
  '*.cookie',
  'headers.authorization',
  'headers.cookie',
];

function create(): Logger {
  const pretty = process.env.NODE_ENV === 'development' && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  return pino({
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  });
}

// One logger per process, shared by the server bundle and the CLI that loads it.
const KEY = Symbol.for('php-iop-jobs.logger');
const g = globalThis as typeof globalThis & { [KEY]?: Logger };
export const log: Logger = (g[KEY] ??= create());

/** Errors as loggable objects: message and code, the stack only for our own bugs. */
export function errInfo(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return { type: err.name, message: err.message, ...(code !== undefined ? { code } : {}), stack: err.stack };
  }
  return { message: String(err) };
}
