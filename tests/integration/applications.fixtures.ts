/**
 * Fixtures for the applications, resumes and screening suites: users and
 * members, a real (tiny) PDF and DOCX built in memory, and a throw-away resume
 * store. Not a test file itself.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { zipSync, strToU8 } from 'fflate';
import type { Db } from '#db/client';
import { licenses, members, screeningQuestions, users } from '#db/schema';
import type { MemberRole } from '#lib/domain/taxonomy';
import type { ResumeStore } from '#lib/resumes/storage';

export async function insertUser(db: Db, over: { name?: string; email?: string } = {}) {
  const tag = crypto.randomBytes(4).toString('hex');
  const [u] = await db
    .insert(users)
    .values({ name: over.name ?? `Person ${tag}`, email: over.email ?? `p-${tag}@example.test`, passwordHash: 'x', emailVerifiedAt: new Date() })
    .returning();
  return u!;
}

export async function insertMember(db: Db, orgId: string, role: MemberRole = 'recruiter', name?: string) {
  const u = await insertUser(db, { name });
  await db.insert(members).values({ orgId, userId: u.id, role });
  return { ...u, userId: u.id, orgId, role };
}

export async function insertLicense(db: Db, userId: string, l: { credentialCode: string; state: string | null; expiresOn?: string | null; compact?: boolean; number?: string }) {
  const [row] = await db
    .insert(licenses)
    .values({ userId, credentialCode: l.credentialCode, state: l.state, expiresOn: l.expiresOn ?? '2030-01-01', compact: l.compact ?? false, number: l.number ?? `N${crypto.randomBytes(3).toString('hex')}` })
    .returning();
  return row!;
}

export async function insertQuestions(db: Db, jobId: string, qs: { kind: 'yes_no' | 'single_choice' | 'short_text'; prompt: string; options?: string[]; required?: boolean; knockoutAnswer?: string | null }[]) {
  return db
    .insert(screeningQuestions)
    .values(qs.map((q, position) => ({ jobId, position, kind: q.kind, prompt: q.prompt, options: q.options ?? [], required: q.required ?? true, knockoutAnswer: q.knockoutAnswer ?? null })))
    .returning();
}

export function tempStore(): ResumeStore & { cleanup(): void; files(): string[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'resumes-test-'));
  return {
    dir,
    files: () => (fs.existsSync(dir) ? fs.readdirSync(dir) : []),
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

/** A one-page PDF with the given lines of text (Helvetica), with a correct xref table. */
export function makePdf(lines: string[]): Uint8Array<ArrayBuffer> {
  const esc = (s: string) => s.replace(/[\\()]/g, (c) => `\\${c}`);
  const content = `BT /F1 12 Tf 72 720 Td 14 TL ${lines.map((l) => `(${esc(l)}) Tj T*`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${Buffer.byteLength(content, 'latin1')} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(Buffer.byteLength(out, 'latin1'));
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = Buffer.byteLength(out, 'latin1');
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(out, 'latin1'));
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`;
const RELS = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>`;

export function documentXml(paragraphs: string[]): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${paragraphs
    .map((p) => `<w:p><w:r><w:t xml:space="preserve">${esc(p)}</w:t></w:r></w:p>`)
    .join('')}</w:body></w:document>`;
}

/** A minimal but real DOCX. `extra` adds entries; `document` replaces word/document.xml (bytes or text). */
export function makeDocx(paragraphs: string[], opts: { extra?: Record<string, Uint8Array>; document?: Uint8Array | null; level?: 0 | 1 | 6 | 9 } = {}): Uint8Array<ArrayBuffer> {
  const files: Record<string, Uint8Array> = {
    '[Content_Types].xml': strToU8(CONTENT_TYPES),
    '_rels/.rels': strToU8(RELS),
  };
  if (opts.document !== null) files['word/document.xml'] = opts.document ?? strToU8(documentXml(paragraphs));
  Object.assign(files, opts.extra ?? {});
  return new Uint8Array(zipSync(files, { level: opts.level ?? 6 }));
}

/**
 * Rewrites the uncompressed-size fields of every entry (local headers and the
 * central directory) to `size`: a zip that lies about how big it gets.
 */
export function lieAboutSizes(zip: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(zip);
  const dv = new DataView(out.buffer);
  for (let i = 0; i + 4 <= out.length; i++) {
    const sig = dv.getUint32(i, true);
    if (sig === 0x04034b50) dv.setUint32(i + 22, size, true); // local file header
    else if (sig === 0x02014b50) dv.setUint32(i + 24, size, true); // central directory header
  }
  return out;
}
