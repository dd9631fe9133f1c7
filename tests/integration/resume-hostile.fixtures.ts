/**
 * Hostile resumes from issue 9, built in memory: a DOCX whose word/document.xml
 * is nothing but '<' (quadratic for the old regular expressions), and a small
 * PDF whose one content stream inflates to hundreds of megabytes.
 * Not a test file itself.
 */
import zlib from 'node:zlib';
import { makeDocx } from './applications.fixtures';

export function angleBracketDocx(kb: number): Uint8Array<ArrayBuffer> {
  return makeDocx([], { document: new TextEncoder().encode('<'.repeat(kb * 1024)), level: 9 });
}

/**
 * A one-page PDF whose content stream is `inflatedMb` MB of zero bytes, deflated
 * (~1 KB per MB). The zeros are fed to zlib one reused megabyte at a time, so
 * building it never holds the inflated size in memory.
 */
export async function inflatingPdf(inflatedMb: number): Promise<Uint8Array<ArrayBuffer>> {
  const deflate = zlib.createDeflate({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  const zeros = Buffer.alloc(1024 * 1024);
  for (let i = 0; i < inflatedMb; i++) {
    if (!deflate.write(zeros)) await new Promise((r) => deflate.once('drain', r));
  }
  deflate.end();
  await done;
  const stream = Buffer.concat(chunks);

  const objects: Buffer[] = [
    Buffer.from('<< /Type /Catalog /Pages 2 0 R >>'),
    Buffer.from('<< /Type /Pages /Kids [3 0 R] /Count 1 >>'),
    Buffer.from('<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>'),
    Buffer.concat([Buffer.from(`<< /Length ${stream.byteLength} /Filter /FlateDecode >>\nstream\n`), stream, Buffer.from('\nendstream')]),
    Buffer.from('<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'),
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n')];
  let length = parts[0]!.byteLength;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const obj = Buffer.concat([Buffer.from(`${i + 1} 0 obj\n`), o, Buffer.from('\nendobj\n')]);
    parts.push(obj);
    length += obj.byteLength;
  });
  parts.push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}` +
        `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${length}\n%%EOF\n`,
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}
