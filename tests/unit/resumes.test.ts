import { describe, expect, it } from 'vitest';
import { claimedExtension, displayFileName } from '../../src/lib/resumes/inspect';
import { attachmentDisposition } from '../../src/lib/resumes/service';
import { docxText, normalizeText, MAX_RESUME_TEXT } from '../../src/lib/resumes/text';
import { neutralizeCell } from '../../src/lib/screening/csv';

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

  it('neutralizes CSV formulas', () => {
    expect(neutralizeCell('=1+1')).toBe("'=1+1");
    expect(neutralizeCell('@cmd')).toBe("'@cmd");
    expect(neutralizeCell('Alicia')).toBe('Alicia');
  });
});
