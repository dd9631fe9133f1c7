/**
 * Just enough XML writing for feeds and sitemaps: text escaping, CDATA that
 * cannot be broken out of, and the date formats RSS and sitemaps use.
 */

/** Characters XML 1.0 forbids anywhere (C0 controls except tab/LF/CR, lone surrogates, U+FFFE/U+FFFF). */
const INVALID_XML_CHARS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML forbids
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function stripInvalidXmlChars(s: string): string {
  return s.replace(INVALID_XML_CHARS, '');
}

/** Escapes text for element content and attribute values (both quote styles). */
export function escapeXml(value: unknown): string {
  return stripInvalidXmlChars(String(value ?? ''))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A CDATA section holding any text: a "]]>" inside is split across two sections. */
export function cdata(value: unknown): string {
  return `<![CDATA[${stripInvalidXmlChars(String(value ?? '')).replace(/]]>/g, ']]]]><![CDATA[>')}]]>`;
}

/** `<name>escaped text</name>` */
export function el(name: string, value: unknown): string {
  return `<${name}>${escapeXml(value)}</${name}>`;
}

/** `<name><![CDATA[text]]></name>` */
export function elCdata(name: string, value: unknown): string {
  return `<${name}>${cdata(value)}</${name}>`;
}

/** RFC 822 date as RSS 2.0 wants it: "Mon, 23 Nov 2026 06:57:09 GMT". */
export function rfc822(d: Date): string {
  return d.toUTCString();
}

/** W3C datetime for sitemaps, to the second: "2026-11-23T06:57:09Z". */
export function w3cDate(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
