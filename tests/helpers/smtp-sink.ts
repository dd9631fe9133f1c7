import { SMTPServer } from 'smtp-server';

/**
 * A real SMTP server in this process (the `smtp-server` package, by nodemailer's author):
 * what a mail worker delivers over the wire lands in `accepted`. `stallNext()` makes the
 * server read the next message's DATA and never answer it, as a server does when the
 * sending process dies mid-transfer; nothing is accepted for it.
 */
export interface SmtpSink {
  url: string;
  accepted: { to: string[]; raw: string }[];
  /** The next message is received but never acknowledged; resolves once its DATA arrived. */
  stallNext(): Promise<void>;
  close(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const accepted: SmtpSink['accepted'] = [];
  let stall: (() => void) | null = null;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    closeTimeout: 1000, // a stalled session must not hold the test run
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (stall) {
          const arrived = stall;
          stall = null;
          arrived(); // no callback: the client waits for an answer that never comes
          return;
        }
        accepted.push({
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.server.address();
  if (!address || typeof address === 'string') throw new Error('SMTP sink has no port');
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    accepted,
    stallNext: () => new Promise<void>((resolve) => (stall = resolve)),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
