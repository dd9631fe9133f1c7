import crypto from 'node:crypto';
import { fileTypeFromBuffer } from 'file-type';
import sharp from 'sharp';
import { invalid, ServiceError } from '#lib/shared/errors';
import { megabytes } from '#lib/resumes/size';

/**
 * An uploaded organization logo, decided from its bytes (never from the file name or the
 * browser's Content-Type): PNG, JPEG or WebP by magic bytes, at most 2 MB and 25 megapixels,
 * then decoded and re-encoded by sharp (libvips) as a WebP at most 256 px on its longer side.
 * Re-encoding drops everything but pixels (EXIF, ICC beyond sRGB, trailing bytes, polyglot
 * payloads), so what is served is an image this code made, not the uploader's file.
 */
export const MAX_LOGO_BYTES = 2 * 1024 * 1024;
export const LOGO_MAX_SIDE = 256;
const MAX_INPUT_PIXELS = 25_000_000;
const ACCEPTED = new Map([
  ['image/png', 'png'],
  ['image/jpeg', 'jpeg'],
  ['image/webp', 'webp'],
]);

export const LOGO_KINDS_MESSAGE = 'Upload the logo as a PNG, JPEG or WebP image.';

const fail = (message: string) => invalid(message, { logo: [message] });

export function logoTooLargeMessage(bytes: number): string {
  return `This file is ${megabytes(bytes)}; the limit for a logo is ${megabytes(MAX_LOGO_BYTES)}.`;
}

export interface ProcessedLogo {
  /** 32 hex characters of the SHA-256 of the re-encoded bytes: the file name and the URL. */
  key: string;
  bytes: Buffer;
  width: number;
  height: number;
}

export async function processLogo(input: Uint8Array): Promise<ProcessedLogo> {
  if (input.byteLength === 0) throw fail('The file is empty. Choose the logo file again.');
  if (input.byteLength > MAX_LOGO_BYTES) throw fail(`${logoTooLargeMessage(input.byteLength)} Save a smaller version and try again.`);
  const ft = await fileTypeFromBuffer(input);
  const format = ft ? ACCEPTED.get(ft.mime) : undefined;
  if (!format) throw fail(`${LOGO_KINDS_MESSAGE} This file is ${ft ? `a ${ft.ext.toUpperCase()} file` : 'not an image we can read'}.`);
  try {
    const image = sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error', animated: false });
    const meta = await image.metadata();
    // The decoder must agree with the magic bytes: a PNG header on something else is refused.
    if (meta.format !== format) throw fail(`${LOGO_KINDS_MESSAGE} This file's contents do not match its type.`);
    const { data, info } = await image
      .rotate() // honour EXIF orientation before the metadata is dropped
      .resize(LOGO_MAX_SIDE, LOGO_MAX_SIDE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 85, effort: 4 })
      .toBuffer({ resolveWithObject: true });
    const key = crypto.createHash('sha256').update(data).digest('hex').slice(0, 32);
    return { key, bytes: data, width: info.width, height: info.height };
  } catch (err) {
    if (err instanceof ServiceError) throw err;
    const msg = err instanceof Error ? err.message : '';
    if (/pixel limit/i.test(msg))
      throw fail('This image is larger than 25 megapixels. Save a smaller version (a logo needs no more than 1,000 px) and try again.');
    throw fail(`This image is damaged or could not be read. ${LOGO_KINDS_MESSAGE}`);
  }
}
