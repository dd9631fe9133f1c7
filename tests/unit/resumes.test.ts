import { describe, expect, it } from 'vitest';
import { claimedExtension, displayFileName } from '#lib/resumes/inspect';
import { attachmentDisposition } from '#lib/resumes/service';
import { docxText } from '#lib/resumes/docx-text';
import { MAX_RAW_TEXT, MAX_RESUME_TEXT, normalizeText } from '#lib/resumes/plain-text';
import { neutralizeCell } from '#lib/screening/csv';

describe('resume names and text', () => {
  it('reads the claimed extension from the last path segment only', () => {
    expect(claimedExtension('cv.PDF')).toBe('pdf');
    expect(claimedExtension('my.docx/evil.exe')).toBe('exe');
    expect(claimedExtension('noext')).toBe('');
    expect(claimedExtension('a.pdf ')).toBe('pdf');
  });

  it('never lets a display name carry a path, control characters or a false extension', () => {
    for (const raw of ['../../x.pdf', '/etc/shadow.pdf', '..\\..\\win.ini.pdf', 'a/b/../c.pdf', '\u0000.pdf', 'CON.pdf']) {
      const n = displayFileName(raw, 'pdf');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: no control character may survive
      expect(n).not.toMatch(/[\\/\u0000-\u001f]/);
      expect(n.endsWith('.pdf')).toBe(true);
      expect(n.startsWith('.')).toBe(false);
    }
    expect(displayFileName('résumé final.docx', 'docx')).toBe('résumé final.docx');
    expect(displayFileName('report.html', 'pdf')).toBe('report.pdf');
  });

  it('builds a safe attachment header', () => {
    expect(attachmentDisposition('cv.pdf')).toBe(`attachment; filename="cv.pdf"; filename*=UTF-8''cv.pdf`);
    expect(attachmentDisposition('a"b\\c.pdf')).toMatch(/^attachment; filename="a_b_c\.pdf"; filename\*=UTF-8''a%22b%5Cc\.pdf$/);
  });

  it('extracts DOCX text by paragraph, leaving out field codes and deleted text', () => {
    const xml = new TextEncoder().encode(
      '<w:document><w:body><w:p><w:r><w:t>Alicia</w:t></w:r><w:r><w:tab/><w:t xml:space="preserve">LCSW &amp; DBT</w:t></w:r></w:p>' +
        '<w:p><w:r><w:instrText>HYPERLINK "x"</w:instrText><w:delText>old</w:delText><w:t>&#8220;IOP&#x201D;</w:t></w:r></w:p></w:body></w:document>',
    );
    expect(normalizeText(docxText(xml))).toBe('Alicia LCSW & DBT\n“IOP”');
    expect(normalizeText('x'.repeat(MAX_RESUME_TEXT + 10)).length).toBe(MAX_RESUME_TEXT);
  });

  it('reads DOCX text with an XML parser: tab stops are not tabs, breaks are lines, entities are decoded once', () => {
    const xml = new TextEncoder().encode(
      '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
        '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr><w:r><w:t>A</w:t><w:br/><w:t>&amp;lt;B&gt;</w:t></w:r></w:p>' +
        '<w:p><w:r><w:t><![CDATA[C & D]]></w:t></w:r></w:p></w:body></w:document>',
    );
    expect(normalizeText(docxText(xml))).toBe('A\n&lt;B>\nC & D');
  });

  it('refuses a document.xml that is not well-formed XML at once, however long (100 KB of "<")', () => {
    const t0 = performance.now();
    expect(() => docxText(new TextEncoder().encode('<'.repeat(100 * 1024)))).toThrow();
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('stops reading a DOCX once it has the text it keeps', () => {
    const para = `<w:p><w:r><w:t>${'word '.repeat(200)}</w:t></w:r></w:p>`;
    // Well-formed up to the cap; the broken end is never reached.
    const xml = new TextEncoder().encode(`<w:document><w:body>${para.repeat(Math.ceil(MAX_RAW_TEXT / 1000) + 50)}<<<broken`);
    expect(docxText(xml).length).toBe(MAX_RAW_TEXT);
  });

  it('normalizes text in linear time, even long runs of unusual whitespace', () => {
    const t0 = performance.now();
    expect(normalizeText(`a${'\u2003'.repeat(200_000)}b\r\n\r\n${'\u000b '.repeat(100_000)}\n c\u0000`)).toBe('a b\nc');
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('neutralizes CSV formulas', () => {
    expect(neutralizeCell('=1+1')).toBe("'=1+1");
    expect(neutralizeCell('@cmd')).toBe("'@cmd");
    expect(neutralizeCell('Alicia')).toBe('Alicia');
  });
});
