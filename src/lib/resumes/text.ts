import { extractText } from 'unpdf';
import type { InspectedUpload } from './inspect';

/** Plain text of a resume for recruiters' full-text search. Bounded in size; never fails an upload that passed inspection for lack of text. */
export const MAX_RESUME_TEXT = 200_000;
const PDF_TIMEOUT_MS = 10_000;

export async function extractResumeText(bytes: Uint8Array, inspected: InspectedUpload): Promise<string> {
  const raw = inspected.kind === 'pdf' ? await pdfText(bytes) : docxText(inspected.documentXml ?? new Uint8Array());
  return normalizeText(raw);
}

export function normalizeText(s: string): string {
  return s
    .replace(/\u0000/g, '')
    .replace(/[ \t\u00a0]+/g, ' ')
    .replace(/\s*\n\s*/g, '\n')
    .trim()
    .slice(0, MAX_RESUME_TEXT);
}

async function pdfText(bytes: Uint8Array): Promise<string> {
  // pdf.js may take ownership of the buffer it is given: hand it a copy.
  const copy = new Uint8Array(bytes);
  let timer: NodeJS.Timeout | undefined;
  try {
    const r = await Promise.race([
      extractText(copy, { mergePages: true }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('pdf text extraction timed out')), PDF_TIMEOUT_MS);
      }),
    ]);
    return r.text;
  } catch {
    // A PDF we cannot read text from (scanned, odd encoder) is still a resume; it is just not searchable by its words.
    return '';
  } finally {
    clearTimeout(timer);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Text of word/document.xml: paragraphs become lines; field codes and deleted (tracked) text are left out. */
export function docxText(documentXml: Uint8Array): string {
  const xml = new TextDecoder('utf-8', { fatal: false }).decode(documentXml);
  return xml
    .replace(/<w:instrText\b[^>]*>[\s\S]*?<\/w:instrText>/g, '')
    .replace(/<w:delText\b[^>]*>[\s\S]*?<\/w:delText>/g, '')
    .replace(/<w:tab\s*\/>/g, '\t')
    .replace(/<w:(?:br|cr)\b[^>]*\/>/g, '\n')
    .replace(/<\/w:p>/g, '\n')
    .replace(/<[^>]*>/g, '')
    .replace(/&(#x[0-9a-fA-F]+|#\d+|[a-z]+);/g, (whole, ent: string) => {
      if (ent.startsWith('#x')) return safeCodePoint(parseInt(ent.slice(2), 16)) ?? whole;
      if (ent.startsWith('#')) return safeCodePoint(parseInt(ent.slice(1), 10)) ?? whole;
      return ENTITIES[ent] ?? whole;
    });
}

function safeCodePoint(n: number): string | undefined {
  if (!Number.isFinite(n) || n <= 0 || n > 0x10ffff) return undefined;
  try {
    return String.fromCodePoint(n);
  } catch {
    return undefined;
  }
}
