import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { Unzip, unzipSync, type AsyncFlateStreamHandler, type UnzipDecoder, type UnzipFileInfo } from 'fflate';
import { fileTypeFromBuffer } from 'file-type';
import { invalid } from '#lib/shared/errors';

/**
 * What an uploaded resume really is, decided from its bytes — never from the
 * browser's Content-Type. A file is accepted only when its extension AND its
 * content agree on PDF or DOCX:
 *   - at most 5 MB, not empty;
 *   - .pdf: starts with %PDF- and file-type agrees;
 *   - .docx: a zip whose central directory has at most MAX_ENTRIES entries,
 *     no duplicate names, declared inflated total at most MAX_INFLATED_TOTAL,
 *     [Content_Types].xml and word/document.xml present; word/document.xml is
 *     then really inflated — by node:zlib on the thread pool, not the event
 *     loop, stopped past MAX_DOCUMENT_XML whatever the headers claim — and
 *     file-type agrees it is DOCX.
 * Nothing else of the archive is ever inflated or written out.
 */
export const MAX_RESUME_BYTES = 5 * 1024 * 1024;
export const DOCX_LIMITS = {
  maxEntries: 1000,
  maxInflatedTotal: 64 * 1024 * 1024,
  maxDocumentXml: 16 * 1024 * 1024,
} as const;

export const RESUME_KINDS = {
  pdf: { ext: 'pdf', mime: 'application/pdf', label: 'PDF' },
  docx: {
    ext: 'docx',
    mime: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    label: 'Word (.docx)',
  },
} as const;
export type ResumeKind = keyof typeof RESUME_KINDS;

export interface InspectedUpload {
  kind: ResumeKind;
  mime: string;
  /** word/document.xml, for text extraction (DOCX only). */
  documentXml?: Uint8Array;
}

const MB = 1024 * 1024;
const mb = (n: number) => `${(n / MB).toFixed(n < 10 * MB ? 1 : 0)} MB`;

const fail = (message: string) => invalid(message, { resume: [message] });

/** The extension the name claims, lower-cased, or ''. */
export function claimedExtension(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? '';
  const m = /\.([A-Za-z0-9]{1,8})$/.exec(base.trim());
  return m ? m[1]!.toLowerCase() : '';
}

function startsWith(bytes: Uint8Array, sig: readonly number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}
const PDF_SIG = [0x25, 0x50, 0x44, 0x46, 0x2d]; // %PDF-
const ZIP_SIG = [0x50, 0x4b, 0x03, 0x04]; // PK\3\4

export async function inspectUpload(bytes: Uint8Array, fileName: string): Promise<InspectedUpload> {
  if (bytes.byteLength === 0) throw fail('The file is empty. Choose your resume file again.');
  if (bytes.byteLength > MAX_RESUME_BYTES) {
    throw fail(`Your file is ${mb(bytes.byteLength)}; resumes can be at most 5 MB. Save it as a smaller PDF (for example without photos) and try again.`);
  }
  const ext = claimedExtension(fileName);
  if (ext !== 'pdf' && ext !== 'docx') {
    const hint = ext === 'doc' ? ' Open the .doc file in Word and save it as .docx or PDF first.' : '';
    throw fail(`Upload your resume as a PDF (.pdf) or Word (.docx) file.${hint}`);
  }
  if (ext === 'pdf') {
    if (!startsWith(bytes, PDF_SIG))
      throw fail('This file is named .pdf but is not a PDF. Export or “Save as PDF” from your word processor and upload that file.');
    const ft = await fileTypeFromBuffer(bytes);
    if (ft?.mime !== RESUME_KINDS.pdf.mime)
      throw fail('This file is named .pdf but is not a PDF. Export or “Save as PDF” from your word processor and upload that file.');
    return { kind: 'pdf', mime: RESUME_KINDS.pdf.mime };
  }
  if (!startsWith(bytes, ZIP_SIG)) throw fail('This file is named .docx but is not a Word document. Save it from Word as .docx, or upload a PDF.');
  const documentXml = await inspectDocxArchive(bytes);
  const ft = await fileTypeFromBuffer(bytes);
  if (ft?.mime !== RESUME_KINDS.docx.mime) throw fail('This .docx file is not a Word document. Save it from Word as .docx, or upload a PDF.');
  return { kind: 'docx', mime: RESUME_KINDS.docx.mime, documentXml };
}

/** Central-directory checks, then a bounded inflate of word/document.xml. Returns its bytes. */
export async function inspectDocxArchive(bytes: Uint8Array): Promise<Uint8Array> {
  const entries: UnzipFileInfo[] = [];
  try {
    // The filter sees every central-directory entry and declines them all: nothing is inflated here.
    unzipSync(bytes, {
      filter: (f) => {
        entries.push(f);
        if (entries.length > DOCX_LIMITS.maxEntries) throw new TooManyEntries();
        return false;
      },
    });
  } catch (err) {
    if (err instanceof TooManyEntries)
      throw fail(`This .docx file holds more than ${DOCX_LIMITS.maxEntries} parts, which no resume needs. Save it again from Word, or upload a PDF.`);
    throw fail('This .docx file is damaged or not a Word document. Open it in Word and save it again, or upload a PDF.');
  }
  const names = new Set<string>();
  let declared = 0;
  for (const e of entries) {
    if (names.has(e.name)) throw fail('This .docx file is malformed (it repeats a part). Save it again from Word, or upload a PDF.');
    names.add(e.name);
    declared += e.originalSize;
  }
  if (declared > DOCX_LIMITS.maxInflatedTotal) {
    throw fail(
      `This .docx file expands to ${mb(declared)} when opened; the limit is ${mb(DOCX_LIMITS.maxInflatedTotal)}. Save it again without large images, or upload a PDF.`,
    );
  }
  if (!names.has('word/document.xml') || !names.has('[Content_Types].xml')) {
    throw fail('This .docx file has no Word document inside. Open it in Word and save it again, or upload a PDF.');
  }
  return inflateEntry(bytes, 'word/document.xml', DOCX_LIMITS.maxDocumentXml);
}

class TooManyEntries extends Error {}

/**
 * Hands an entry's deflate stream over as it is, so that inflating it is left
 * to node:zlib, which works on the libuv thread pool: a 25 KB DOCX whose
 * document.xml inflates to 16 MB took fflate's JavaScript inflate 0.3-1.5 s
 * of the event loop.
 */
class RawDeflate implements UnzipDecoder {
  static readonly compression = 8;
  ondata: AsyncFlateStreamHandler = () => {};
  push(chunk: Uint8Array, final: boolean): void {
    // fflate asks that the chunk not be kept or detached: hand on a copy.
    this.ondata(null, chunk.slice(), final);
  }
}

const inflateRaw = promisify(zlib.inflateRaw);

/**
 * Inflates one entry, counting real output: headers can lie about sizes, so
 * the cap is enforced on what inflating actually produces (zlib stops at
 * maxOutputLength, whatever the headers claim).
 */
async function inflateEntry(bytes: Uint8Array, name: string, cap: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let compression = -1;
  let done = false;
  let error: unknown = null;
  const unzip = new Unzip((file) => {
    if (file.name !== name || compression !== -1) return; // never started: its data is skipped
    compression = file.compression;
    file.ondata = (err, data, final) => {
      if (err) error ??= err;
      else chunks.push(data);
      if (final) done = true;
    };
    file.start();
  });
  unzip.register(RawDeflate);
  try {
    unzip.push(bytes, true);
  } catch (err) {
    error ??= err;
  }
  if (error !== null || !done || (compression !== 0 && compression !== 8)) {
    throw fail('This .docx file is damaged or not a Word document. Open it in Word and save it again, or upload a PDF.');
  }
  const stored = Buffer.concat(chunks);
  if (compression === 0 && stored.byteLength <= cap) return stored;
  try {
    if (compression === 8) return await inflateRaw(stored, { maxOutputLength: cap, chunkSize: 64 * 1024 });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ERR_BUFFER_TOO_LARGE') {
      throw fail('This .docx file is damaged or not a Word document. Open it in Word and save it again, or upload a PDF.');
    }
  }
  throw fail(`This .docx file’s text expands past ${mb(cap)} when opened, which no resume needs. Save it again from Word, or upload a PDF.`);
}

/**
 * The original file name, for display only (it never reaches the file
 * system): no directories, no control or bidirectional-override characters,
 * no characters that mean something to shells or Windows, no leading dots,
 * at most 100 characters, and the extension of what the file really is.
 */
export function displayFileName(raw: string, kind: ResumeKind): string {
  let n = (raw ?? '').normalize('NFC');
  n = n.split(/[\\/]/).pop() ?? '';
  n = n
    // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are removed on purpose
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '')
    .replace(/[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g, '')
    .replace(/[<>:"|?*`$;&%]/g, '_')
    .replace(/\s+/g, ' ')
    .trim();
  n = n.replace(/\.[A-Za-z0-9]{1,8}$/, '');
  n = n.replace(/^[.\s_-]+/, '').replace(/[.\s]+$/, '');
  n = Array.from(n).slice(0, 100).join('');
  if (!n) n = 'resume';
  return `${n}.${RESUME_KINDS[kind].ext}`;
}
