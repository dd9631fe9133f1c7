import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, errInfo } from '#lib/log';

/** The process's logger configuration, writing into an array instead of stdout. */
function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString('utf8').split('\n')) if (l) lines.push(JSON.parse(l) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger(stream), lines };
}

describe('log redaction', () => {
  it('censors secrets, tokens, email addresses and résumé text at the top level and nested', () => {
    const { logger, lines } = capture();
    logger.warn(
      {
        email: 'ann@example.com',
        password: 'hunter2-hunter2',
        token: 'tok-top-secret',
        resumeText: 'Ann Example, LCSW, 10 years',
        user: { email: 'bob@example.com', passwordHash: '$argon2id$abc', phone: '555-0100' },
        mail: { toAddress: 'carol@example.com', textBody: 'Your reset link: https://x/reset/tok-in-body' },
        req: { headers: { authorization: 'Bearer abc-secret', cookie: 'session=sess-secret' } },
        resume: { textContent: 'Résumé text of Dana', id: 'r1' },
        config: { apiKey: 'meili-master-key', secret: 'hmac-secret' },
        route: '/jobs/[slug]',
      },
      'something happened',
    );
    expect(lines).toHaveLength(1);
    const out = JSON.stringify(lines[0]);
    for (const leaked of [
      'ann@example.com',
      'bob@example.com',
      'carol@example.com',
      'hunter2',
      'tok-top-secret',
      'tok-in-body',
      'Ann Example',
      'Dana',
      '$argon2id',
      '555-0100',
      'abc-secret',
      'sess-secret',
      'meili-master-key',
      'hmac-secret',
    ])
      expect(out, leaked).not.toContain(leaked);
    // What an operator needs stays readable.
    expect(lines[0]).toMatchObject({ msg: 'something happened', route: '/jobs/[slug]', resume: { id: 'r1' } });
    expect(lines[0]!.email).toBe('[redacted]');
  });

  it('masks email addresses inside error messages, which redaction by field name cannot reach', () => {
    const { logger, lines } = capture();
    const err = Object.assign(new Error('550 5.1.1 <erin.x+jobs@example.org>: recipient rejected'), {
      code: 'EENVELOPE',
    });
    logger.error({ err: errInfo(err) }, 'mail failed');
    const out = JSON.stringify(lines[0]);
    expect(out).not.toContain('erin.x+jobs@example.org');
    expect(lines[0]).toMatchObject({
      err: { type: 'Error', code: 'EENVELOPE', message: '550 5.1.1 <[email]>: recipient rejected' },
    });
    // An Error logged raw is shaped (and masked) the same way.
    logger.error({ err }, 'mail failed');
    expect(JSON.stringify(lines[1])).not.toContain('erin.x+jobs@example.org');
    expect(lines[1]).toMatchObject({ err: { type: 'Error', code: 'EENVELOPE' } });
  });
});
