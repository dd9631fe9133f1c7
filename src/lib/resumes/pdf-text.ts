import { MAX_RAW_TEXT, TextCollector } from './plain-text.ts';

/** Pages read at most: a resume has a few; the rest of a longer file adds nothing worth the time. */
export const MAX_PDF_PAGES = 50;

/**
 * Text of a PDF with pdf.js (through unpdf, which also turns off pdf.js's
 * `eval` of font programs), page by page, as unpdf's own extractText joins it,
 * stopping after MAX_PDF_PAGES pages or `limit` characters.
 * unpdf is imported here, on first use, so a worker reading a DOCX never loads pdf.js.
 */
export async function pdfText(bytes: Uint8Array, limit: number = MAX_RAW_TEXT): Promise<string> {
  const { getDocumentProxy } = await import('unpdf');
  // pdf.js may take ownership of (detach) the buffer it is given: hand it a copy.
  const pdf = await getDocumentProxy(new Uint8Array(bytes));
  try {
    const out = new TextCollector(limit);
    for (let n = 1; n <= Math.min(pdf.numPages, MAX_PDF_PAGES) && !out.full; n++) {
      const page = await pdf.getPage(n);
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!('str' in item)) continue;
        out.add(item.str);
        if (item.hasEOL) out.add('\n');
      }
      out.add('\n');
      page.cleanup();
    }
    return out.text();
  } finally {
    await pdf.destroy();
  }
}
