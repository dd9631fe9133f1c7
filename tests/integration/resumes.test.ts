import { strToU8, zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '#db/client';
import { resumes } from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { DOCX_LIMITS, displayFileName, inspectUpload, MAX_RESUME_BYTES } from '#lib/resumes/inspect';
import { attachmentDisposition, deleteResume, listResumes, MAX_RESUMES_PER_USER, resumeForDownload, saveResume } from '#lib/resumes/service';
import { readResumeFile } from '#lib/resumes/storage';
import { isServiceError } from '#lib/shared/errors';
import { insertJob, insertOrg } from '../helpers/fixtures';
import { freshPostgres, hasPostgres, skipReason } from '../helpers/services';
import { insertMember, insertUser, lieAboutSizes, makeDocx, makePdf, tempStore } from './applications.fixtures';

/** Rejected with the services' `invalid` error, with a message a person can act on. */
async function rejects(p: Promise<unknown>, pattern: RegExp) {
  try {
    await p;
  } catch (err) {
    expect(isServiceError(err) && err.code).toBe('invalid');
    expect((err as Error).message).toMatch(pattern);
    return;
  }
  throw new Error('expected the upload to be rejected');
}

describe('resume inspection (no database)', () => {
  it('accepts a real PDF and a real DOCX', async () => {
    expect((await inspectUpload(makePdf(['Jane Doe, LCSW']), 'cv.pdf')).kind).toBe('pdf');
    const d = await inspectUpload(makeDocx(['Jane Doe, LCSW']), 'cv.docx');
    expect(d.kind).toBe('docx');
    expect(new TextDecoder().decode(d.documentXml)).toContain('Jane Doe');
  });

  it('refuses oversize, empty, unknown extensions and content that is not what the name says', async () => {
    const big = new Uint8Array(MAX_RESUME_BYTES + 1);
    big.set(makePdf(['x']));
    await rejects(inspectUpload(big, 'cv.pdf'), /at most 5 MB/);
    await rejects(inspectUpload(new Uint8Array(), 'cv.pdf'), /empty/);
    await rejects(inspectUpload(makePdf(['x']), 'cv.exe'), /PDF \(\.pdf\) or Word \(\.docx\)/);
    await rejects(inspectUpload(makePdf(['x']), 'cv.doc'), /save it as \.docx or PDF/);
    // Wrong magic bytes: a PNG named .pdf; a PDF named .docx.
    await rejects(inspectUpload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'cv.pdf'), /not a PDF/);
    await rejects(inspectUpload(makePdf(['x']), 'cv.docx'), /not a Word document/);
    // A renamed HTML file, either way, even one that mentions %PDF- later on.
    const html = strToU8('<!doctype html><html><body><script>alert(1)</script>%PDF-1.4</body></html>');
    await rejects(inspectUpload(html, 'resume.pdf'), /not a PDF/);
    await rejects(inspectUpload(html, 'resume.docx'), /not a Word document/);
  });

  it('refuses a zip that is not a Word document, and a DOCX without word/document.xml', async () => {
    await rejects(inspectUpload(zipSync({ 'a.txt': strToU8('hello') }), 'cv.docx'), /no Word document inside/);
    await rejects(inspectUpload(makeDocx([], { document: null }), 'cv.docx'), /no Word document inside/);
    // An .xlsx renamed .docx has [Content_Types].xml but no word/document.xml.
    await rejects(inspectUpload(makeDocx([], { document: null, extra: { 'xl/workbook.xml': strToU8('<workbook/>') } }), 'cv.docx'), /no Word document/);
  });

  it('refuses zip bombs: declared size, real inflated size despite lying headers, and entry count', async () => {
    // 70 MB of zeros squeezed into a few dozen KB, honestly declared.
    const zeros = new Uint8Array(70 * 1024 * 1024);
    const honest = makeDocx([], { extra: { 'word/media/bomb.bin': zeros }, level: 9 });
    expect(honest.byteLength).toBeLessThan(MAX_RESUME_BYTES);
    await rejects(inspectUpload(honest, 'cv.docx'), /expands to 70\.0 MB|expands to 70 MB/);

    // word/document.xml that really inflates to 20 MB, with headers claiming 1 KB: the real count stops it.
    const huge = strToU8(`<w:document>${'<w:p/>'.repeat((20 * 1024 * 1024) / 6)}</w:document>`);
    const liar = lieAboutSizes(makeDocx([], { document: huge, level: 9 }), 1024);
    expect(liar.byteLength).toBeLessThan(MAX_RESUME_BYTES);
    const t0 = performance.now();
    await rejects(inspectUpload(liar, 'cv.docx'), /expands past 16/);
    expect(performance.now() - t0).toBeLessThan(5000);

    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i <= DOCX_LIMITS.maxEntries; i++) many[`word/x${i}.xml`] = strToU8('x');
    await rejects(inspectUpload(makeDocx(['ok'], { extra: many }), 'cv.docx'), /more than 1000 parts/);
  });

  it('keeps only a safe display name: no path, no control or bidi characters, the real extension', () => {
    expect(displayFileName('../../etc/passwd.pdf', 'pdf')).toBe('passwd.pdf');
    expect(displayFileName('C:\\Users\\me\\Desktop\\CV final.docx', 'docx')).toBe('CV final.docx');
    expect(displayFileName('..', 'pdf')).toBe('resume.pdf');
    expect(displayFileName('.htaccess.pdf', 'pdf')).toBe('htaccess.pdf');
    expect(displayFileName('cv\u202Efdp.exe.pdf', 'pdf')).toBe('cvfdp.exe.pdf');
    expect(displayFileName('a\u0000b\r\nc<script>.pdf', 'pdf')).toBe('abc_script_.pdf');
    expect(displayFileName(`${'x'.repeat(300)}.pdf`, 'pdf')).toBe(`${'x'.repeat(100)}.pdf`);
    expect(attachmentDisposition('Résumé "2025".pdf')).toBe(`attachment; filename="Resume _2025_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%222025%22.pdf`);
  });
});

describe.skipIf(!hasPostgres)(`resumes on PostgreSQL (${skipReason})`, () => {
  let h: DbHandle;
  const store = tempStore();
  beforeAll(async () => {
    h = await freshPostgres();
  });
  afterAll(async () => {
    await h?.close();
    store.cleanup();
  });

  it('stores under a random name outside public/, extracts text for search, and dedupes identical uploads', async () => {
    const u = await insertUser(h.db);
    const pdf = makePdf(['Alicia Moreno', 'Dialectical behavior therapy skills groups']);
    const [a, b] = await Promise.all([
      saveResume(h.db, store, u.id, { name: '../../../public/evil.pdf', bytes: pdf }),
      saveResume(h.db, store, u.id, { name: 'again.pdf', bytes: pdf }),
    ]);
    expect(a.resume.id).toBe(b.resume.id);
    expect([a.created, b.created].filter(Boolean)).toHaveLength(1);
    const [row] = await h.db.select().from(resumes);
    expect(row!.storageKey).toMatch(/^[0-9a-f]{32}$/);
    expect(store.files()).toEqual([row!.storageKey]);
    expect(['evil.pdf', 'again.pdf']).toContain(row!.originalName);
    expect(row!.textContent).toMatch(/Dialectical behavior therapy/);
    expect(Buffer.from((await readResumeFile(store, row!.storageKey))!).equals(Buffer.from(pdf))).toBe(true);

    const docx = await saveResume(h.db, store, u.id, { name: 'cv.docx', bytes: makeDocx(['Trauma-informed care & DBT', 'Seeking Safety']) });
    const [d] = await h.db.select().from(resumes).where((await import('drizzle-orm')).eq(resumes.id, docx.resume.id));
    expect(d!.textContent).toBe('Trauma-informed care & DBT\nSeeking Safety');
    expect(d!.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((await listResumes(h.db, u.id)).map((r) => r.id).sort()).toEqual([a.resume.id, docx.resume.id].sort());
  });

  it('nothing is stored when an upload is refused', async () => {
    const u = await insertUser(h.db);
    const before = store.files().length;
    await rejects(saveResume(h.db, store, u.id, { name: 'cv.pdf', bytes: strToU8('<html></html>') }), /not a PDF/);
    expect(store.files().length).toBe(before);
    expect(await listResumes(h.db, u.id)).toEqual([]);
  });

  it('forty uploads at once against an account holding two end with exactly twenty resumes, and no stray files', async () => {
    const u = await insertUser(h.db);
    await saveResume(h.db, store, u.id, { name: 'one.docx', bytes: makeDocx(['First resume']) });
    await saveResume(h.db, store, u.id, { name: 'two.docx', bytes: makeDocx(['Second resume']) });
    const filesBefore = store.files().length;
    const results = await Promise.allSettled(
      Array.from({ length: 40 }, (_, i) => saveResume(h.db, store, u.id, { name: `cv-${i}.docx`, bytes: makeDocx([`Resume number ${i}`]) })),
    );
    const kept = await listResumes(h.db, u.id);
    expect(kept).toHaveLength(MAX_RESUMES_PER_USER);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(MAX_RESUMES_PER_USER - 2);
    for (const r of results) {
      if (r.status === 'rejected') expect(r.reason).toMatchObject({ code: 'invalid', message: expect.stringMatching(/20 resumes stored/) });
    }
    // Refused uploads leave no file behind: exactly one file per stored resume.
    expect(store.files().length - filesBefore).toBe(MAX_RESUMES_PER_USER - 2);
  });

  it('downloads: the owner, and members of organizations that received it with an application; nobody else', async () => {
    const orgA = await insertOrg(h.db);
    const orgB = await insertOrg(h.db);
    const job = await insertJob(h.db, orgA.id);
    const candidate = await insertUser(h.db);
    const other = await insertUser(h.db);
    const memberA = await insertMember(h.db, orgA.id, 'recruiter');
    const memberB = await insertMember(h.db, orgB.id, 'admin');
    const sent = await saveResume(h.db, store, candidate.id, { name: 'sent.pdf', bytes: makePdf(['sent']) });
    const kept = await saveResume(h.db, store, candidate.id, { name: 'private.pdf', bytes: makePdf(['private']) });
    await submitApplication(h.db, { store }, candidate.id, { jobId: job.id, resumeId: sent.resume.id });

    expect(await resumeForDownload(h.db, candidate.id, sent.resume.id)).not.toBeNull();
    expect(await resumeForDownload(h.db, candidate.id, kept.resume.id)).not.toBeNull();
    expect(await resumeForDownload(h.db, memberA.id, sent.resume.id)).toMatchObject({ originalName: 'sent.pdf', kind: 'pdf' });
    // The organization sees only what was sent to it, not the candidate's other resumes.
    expect(await resumeForDownload(h.db, memberA.id, kept.resume.id)).toBeNull();
    expect(await resumeForDownload(h.db, memberB.id, sent.resume.id)).toBeNull();
    expect(await resumeForDownload(h.db, other.id, sent.resume.id)).toBeNull();

    // A resume that went out with an application is kept; an unused one can be deleted (file too).
    await expect(deleteResume(h.db, store, candidate.id, sent.resume.id)).rejects.toMatchObject({ code: 'conflict' });
    await expect(deleteResume(h.db, store, other.id, kept.resume.id)).rejects.toMatchObject({ code: 'not_found' });
    const filesBefore = store.files().length;
    await deleteResume(h.db, store, candidate.id, kept.resume.id);
    expect(store.files().length).toBe(filesBefore - 1);
  });
});
