import { strToU8, zipSync } from 'fflate';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { resumes } from '#db/schema';
import { submitApplication } from '#lib/applications/apply';
import { DOCX_LIMITS, displayFileName, inspectUpload, MAX_RESUME_BYTES } from '#lib/resumes/inspect';
import { attachmentDisposition, deleteResume, listResumes, MAX_RESUMES_PER_USER, resumeForDownload, saveResume } from '#lib/resumes/service';
import { readResumeFile } from '#lib/resumes/storage';
import { lieAboutSizes, makeDocx, makePdf } from '../helpers/documents';
import { makeJob, makeMember, makeOrg, makeUser, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

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
    await expect(inspectUpload(big, 'cv.pdf')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/at most 5 MB/),
    });
    await expect(inspectUpload(new Uint8Array(), 'cv.pdf')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/empty/),
    });
    await expect(inspectUpload(makePdf(['x']), 'cv.exe')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/PDF \(\.pdf\) or Word \(\.docx\)/),
    });
    await expect(inspectUpload(makePdf(['x']), 'cv.doc')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/save it as \.docx or PDF/),
    });
    // Wrong magic bytes: a PNG named .pdf; a PDF named .docx.
    await expect(inspectUpload(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]), 'cv.pdf')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not a PDF/),
    });
    await expect(inspectUpload(makePdf(['x']), 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not a Word document/),
    });
    // A renamed HTML file, either way, even one that mentions %PDF- later on.
    const html = strToU8('<!doctype html><html><body><script>alert(1)</script>%PDF-1.4</body></html>');
    await expect(inspectUpload(html, 'resume.pdf')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not a PDF/),
    });
    await expect(inspectUpload(html, 'resume.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not a Word document/),
    });
  });

  it('refuses a zip that is not a Word document, and a DOCX without word/document.xml', async () => {
    await expect(inspectUpload(zipSync({ 'a.txt': strToU8('hello') }), 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/no Word document inside/),
    });
    await expect(inspectUpload(makeDocx([], { document: null }), 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/no Word document inside/),
    });
    // An .xlsx renamed .docx has [Content_Types].xml but no word/document.xml.
    await expect(inspectUpload(makeDocx([], { document: null, extra: { 'xl/workbook.xml': strToU8('<workbook/>') } }), 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/no Word document/),
    });
  });

  it('refuses zip bombs: declared size, real inflated size despite lying headers, and entry count', async () => {
    // 70 MB of zeros squeezed into a few dozen KB, honestly declared.
    const zeros = new Uint8Array(70 * 1024 * 1024);
    const honest = makeDocx([], { extra: { 'word/media/bomb.bin': zeros }, level: 9 });
    expect(honest.byteLength).toBeLessThan(MAX_RESUME_BYTES);
    await expect(inspectUpload(honest, 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/expands to 70\.0 MB|expands to 70 MB/),
    });

    // word/document.xml that really inflates to 20 MB, with headers claiming 1 KB: the real count stops it.
    const huge = strToU8(`<w:document>${'<w:p/>'.repeat((20 * 1024 * 1024) / 6)}</w:document>`);
    const liar = lieAboutSizes(makeDocx([], { document: huge, level: 9 }), 1024);
    expect(liar.byteLength).toBeLessThan(MAX_RESUME_BYTES);
    const t0 = performance.now();
    await expect(inspectUpload(liar, 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/expands past 16/),
    });
    expect(performance.now() - t0).toBeLessThan(5000);

    const many: Record<string, Uint8Array> = {};
    for (let i = 0; i <= DOCX_LIMITS.maxEntries; i++) many[`word/x${i}.xml`] = strToU8('x');
    await expect(inspectUpload(makeDocx(['ok'], { extra: many }), 'cv.docx')).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/more than 1000 parts/),
    });
  });

  it('keeps only a safe display name: no path, no control or bidi characters, the real extension', () => {
    expect(displayFileName('../../etc/passwd.pdf', 'pdf')).toBe('passwd.pdf');
    expect(displayFileName('C:\\Users\\me\\Desktop\\CV final.docx', 'docx')).toBe('CV final.docx');
    expect(displayFileName('..', 'pdf')).toBe('resume.pdf');
    expect(displayFileName('.htaccess.pdf', 'pdf')).toBe('htaccess.pdf');
    expect(displayFileName('cv\u202Efdp.exe.pdf', 'pdf')).toBe('cvfdp.exe.pdf');
    expect(displayFileName('a\u0000b\r\nc<script>.pdf', 'pdf')).toBe('abc_script_.pdf');
    expect(displayFileName('x'.repeat(300) + '.pdf', 'pdf')).toBe(`${'x'.repeat(100)}.pdf`);
    expect(attachmentDisposition('Résumé "2025".pdf')).toBe(`attachment; filename="Resume _2025_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%222025%22.pdf`);
  });
});

describe.skipIf(!hasPostgres)(`resumes on PostgreSQL (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  it('stores under a random name outside public/, extracts text for search, and dedupes identical uploads', async () => {
    const u = await makeUser(h.db);
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

    const docx = await saveResume(h.db, store, u.id, {
      name: 'cv.docx',
      bytes: makeDocx(['Trauma-informed care & DBT', 'Seeking Safety']),
    });
    const [d] = await h.db.select().from(resumes).where(eq(resumes.id, docx.resume.id));
    expect(d!.textContent).toBe('Trauma-informed care & DBT\nSeeking Safety');
    expect(d!.mime).toBe('application/vnd.openxmlformats-officedocument.wordprocessingml.document');
    expect((await listResumes(h.db, u.id)).map((r) => r.id).sort()).toEqual([a.resume.id, docx.resume.id].sort());
  });

  it('nothing is stored when an upload is refused', async () => {
    const u = await makeUser(h.db);
    const before = store.files().length;
    await expect(saveResume(h.db, store, u.id, { name: 'cv.pdf', bytes: strToU8('<html></html>') })).rejects.toMatchObject({
      code: 'invalid',
      message: expect.stringMatching(/not a PDF/),
    });
    expect(store.files().length).toBe(before);
    expect(await listResumes(h.db, u.id)).toEqual([]);
  });

  it('forty uploads at once against an account holding two end with exactly twenty resumes, and no stray files', async () => {
    const u = await makeUser(h.db);
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
    const orgA = await makeOrg(h.db);
    const orgB = await makeOrg(h.db);
    const job = await makeJob(h.db, orgA.id);
    const candidate = await makeUser(h.db);
    const other = await makeUser(h.db);
    const memberA = await makeMember(h.db, orgA.id, 'recruiter');
    const memberB = await makeMember(h.db, orgB.id, 'admin');
    const sent = await saveResume(h.db, store, candidate.id, { name: 'sent.pdf', bytes: makePdf(['sent']) });
    const kept = await saveResume(h.db, store, candidate.id, { name: 'private.pdf', bytes: makePdf(['private']) });
    await submitApplication(h.db, { store }, candidate.id, { jobId: job.id, resumeId: sent.resume.id });

    expect(await resumeForDownload(h.db, candidate.id, sent.resume.id)).not.toBeNull();
    expect(await resumeForDownload(h.db, candidate.id, kept.resume.id)).not.toBeNull();
    expect(await resumeForDownload(h.db, memberA.id, sent.resume.id)).toMatchObject({
      originalName: 'sent.pdf',
      kind: 'pdf',
    });
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
