import pino, { type Logger } from 'pino';

/**
 * The process's logger: JSON lines on stdout (one object per event, with the request id
 * where there is one), readable with pino-pretty in development. Secrets and personal
 * data never reach the log: these paths are censored wherever they appear, and request
 * logs carry the route pattern, never the raw URL (which can hold tokens and ids).
 *
 * Field names that hold secrets (passwords, tokens, keys, cookies) or personal data (email
 * addresses, phone numbers, résumé and message text). pino's redaction matches paths, not
 * names anywhere, so each is censored at the top level and one or two objects down (`{ user:
 * { email } }`, `{ req: { headers: { cookie } } }`), which is as deep as our log calls go.
 */
const SENSITIVE = [
  'password',
  'newPassword',
  'currentPassword',
  'passwordHash',
  'token',
  'tokenHash',
  'secret',
  'apiKey',
  'authorization',
  'cookie',
  '"set-cookie"',
  'email',
  'to',
  'toAddress',
  'phone',
  'text',
  'textBody',
  'htmlBody',
  'body',
  'textContent',
  'resumeText',
];
const REDACT = SENSITIVE.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

/** The process's logger; a test passes its own destination to read the lines back. */
export function createLogger(destination?: pino.DestinationStream): Logger {
  const pretty = !destination && process.env.NODE_ENV === 'development' && process.stdout.isTTY && process.env.LOG_FORMAT !== 'json';
  const options: pino.LoggerOptions = {
    level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'warn' : 'info'),
    base: { pid: process.pid },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: { paths: REDACT, censor: '[redacted]' },
    // pino's own err serializer would rename errInfo's `type` to 'Object'; an Error passed raw goes through errInfo too.
    serializers: { err: (e: unknown) => (e instanceof Error ? errInfo(e) : e) },
    formatters: { level: (label) => ({ level: label }) },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { colorize: true, translateTime: 'SYS:HH:MM:ss' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

// One logger per process, shared by the server bundle and the CLI that loads it.
const KEY = Symbol.for('php-iop-jobs.logger');
const g = globalThis as typeof globalThis & { [KEY]?: Logger };
export const log: Logger = (g[KEY] ??= createLogger());

/** An address inside free text (an SMTP refusal, a constraint message) that redaction by path cannot see. */
const EMAIL_IN_TEXT = /[^\s<>()"',;:@]+@[^\s<>()"',;:@]+\.[a-z]{2,}/gi;
const maskEmails = (text: string) => text.replace(EMAIL_IN_TEXT, '[email]');

/** Errors as loggable objects: message and code, the stack only for our own bugs; email addresses in them masked. */
export function errInfo(err: unknown): Record<string, unknown> {
  if (err instanceof Error) {
    const code = (err as { code?: unknown }).code;
    return {
      type: err.name,
      message: maskEmails(err.message),
      ...(code !== undefined ? { code } : {}),
      ...(err.stack ? { stack: maskEmails(err.stack) } : {}),
    };
  }
  return { message: maskEmails(String(err)) };
}
