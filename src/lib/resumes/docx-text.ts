import { SaxesParser } from 'saxes';
import { MAX_RAW_TEXT, TextCollector } from './plain-text.ts';

/**
 * Text of a DOCX's word/document.xml, read with a streaming XML parser.
 *
 * saxes rather than sax or htmlparser2: it is strict (Word never writes XML
 * that is not well-formed, so a document that is not is refused at its first
 * bad character instead of being guessed at), it never expands entities
 * declared in a DTD (no "billion laughs"), it is a linear state machine fed in
 * chunks, it ships its own TypeScript types, and jsdom relies on it.
 *
 * Only the text of runs (w:t) is kept: field codes (w:instrText) and deleted
 * tracked changes (w:delText) are other elements and so left out. Tabs and
 * breaks inside runs become whitespace; paragraphs become lines. Elements are
 * matched by local name, so the prefix (w:, or another bound to the same
 * namespace) does not matter, and DrawingML text boxes (a:t, a:p) count too.
 * Parsing stops once `limit` characters are gathered.
 * Throws on XML that is not well-formed.
 */
export function docxText(documentXml: Uint8Array, limit: number = MAX_RAW_TEXT): string {
  const out = new TextCollector(limit);
  const parser = new SaxesParser({ xmlns: false, position: false });
  let inRunText = 0;
  let inTabStops = 0;
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inRunText++;
    else if (name === 'tabs') inTabStops++;
    // <w:tab/> inside <w:tabs> defines a tab stop; anywhere else it is a tab character.
    else if (name === 'tab' && inTabStops === 0) out.add('\t');
    else if (name === 'br' || name === 'cr') out.add('\n');
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inRunText--;
    else if (name === 'tabs') inTabStops--;
    else if (name === 'p') out.add('\n');
  });
  parser.on('text', (t) => {
    if (inRunText > 0) out.add(t);
  });
  parser.on('cdata', (t) => {
    if (inRunText > 0) out.add(t);
  });

  const CHUNK = 64 * 1024;
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let at = 0; at < documentXml.byteLength && !out.full; at += CHUNK) {
    parser.write(decoder.decode(documentXml.subarray(at, at + CHUNK), { stream: true }));
  }
  if (!out.full) {
    parser.write(decoder.decode());
    parser.close();
  }
  return out.text();
}

function localName(qualified: string): string {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
}
