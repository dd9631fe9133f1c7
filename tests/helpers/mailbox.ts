import fs from 'node:fs';
import path from 'node:path';

/**
 * Reads the .eml files the mailer writes under DATA_DIR/mail (no SMTP): finds
 * the newest message to an address, decodes quoted-printable, returns its links.
 */
export interface ReadMail {
  file: string;
  subject: string;
  text: string;
  links: string[];
}

function decodeQuotedPrintable(s: string): string {
  const bytes: number[] = [];
  const src = s.replace(/=\r?\n/g, '');
  for (let i = 0; i < src.length; i++) {
    const m = src[i] === '=' ? /^[0-9A-F]{2}$/i.exec(src.slice(i + 1, i + 3)) : null;
    if (m) {
      bytes.push(parseInt(m[0], 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(src[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

function decodeHeader(v: string): string {
  return v.replace(/=\?utf-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
    enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64').toString('utf8') : decodeQuotedPrintable(data.replace(/_/g, ' ')),
  );
}

export function parseEml(raw: string): { subject: string; text: string } {
  const unfolded = raw.replace(/\r?\n[ \t]+/g, ' ');
  const subject = decodeHeader(/^Subject: (.*)$/im.exec(unfolded)?.[1]?.trim() ?? '');
  let text = raw;
  if (/quoted-printable/i.test(raw)) text = decodeQuotedPrintable(raw);
  const b64 = [...raw.matchAll(/Content-Transfer-Encoding: base64\r?\n\r?\n([A-Za-z0-9+/=\r\n]+)/gi)].map((m) =>
    Buffer.from(m[1]!.replace(/\s/g, ''), 'base64').toString('utf8'),
  );
  if (b64.length) text += `\n${b64.join('\n')}`;
  return { subject, text };
}

/** Waits for a message to `to` (optionally whose subject matches) newer than `since`. */
export async function waitForMail(dataDir: string, to: string, opts: { subject?: RegExp; since?: number; timeoutMs?: number } = {}): Promise<ReadMail> {
  const dir = path.join(dataDir, 'mail');
  const deadline = Date.now() + (opts.timeoutMs ?? 10_000);
  const safeTo = to.replace(/[^a-zA-Z0-9@._-]/g, '_');
  for (;;) {
    const files = fs.existsSync(dir)
      ? fs
          .readdirSync(dir)
          .filter((f) => f.endsWith('.eml') && f.includes(safeTo))
          .sort()
          .reverse()
      : [];
    for (const f of files) {
      const full = path.join(dir, f);
      if (opts.since && fs.statSync(full).mtimeMs < opts.since) continue;
      const { subject, text } = parseEml(fs.readFileSync(full, 'utf8'));
      if (opts.subject && !opts.subject.test(subject)) continue;
      const links = [...new Set([...text.matchAll(/https?:\/\/[^\s"<>]+/g)].map((m) => m[0]))];
      return { file: full, subject, text, links };
    }
    if (Date.now() > deadline) throw new Error(`No mail to ${to}${opts.subject ? ` matching ${opts.subject}` : ''} in ${dir}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
