/**
 * Plain text kept from a resume: at most MAX_RESUME_TEXT characters, one
 * non-blank line per line of text, runs of whitespace as one space.
 * Runs inside the extraction worker (see extract-worker.ts), so it imports
 * nothing but other worker-safe modules, with explicit .ts extensions.
 */
export const MAX_RESUME_TEXT = 200_000;

/** What a parser may gather before normalizing: normalizing only shrinks text, so twice the cap is plenty. */
export const MAX_RAW_TEXT = 2 * MAX_RESUME_TEXT;

/**
 * Linear whatever the input: lines are split once and each is tidied with a
 * single greedy `\s+` (the old `\s*\n\s*` over the whole text backtracked
 * quadratically on long runs of spaces).
 */
export function normalizeText(s: string): string {
  const lines: string[] = [];
  let length = 0;
  for (const raw of s.split(/\r\n?|\n/)) {
    const line = raw.replaceAll('\u0000', '').replace(/\s+/g, ' ').trim();
    if (!line) continue;
    lines.push(line);
    length += line.length + 1;
    if (length > MAX_RESUME_TEXT) break;
  }
  return lines.join('\n').slice(0, MAX_RESUME_TEXT);
}

/** Gathers text pieces up to a limit; parsers check `full` to stop early. */
export class TextCollector {
  readonly #parts: string[] = [];
  readonly #limit: number;
  #length = 0;

  constructor(limit: number = MAX_RAW_TEXT) {
    this.#limit = limit;
  }

  get full(): boolean {
    return this.#length >= this.#limit;
  }

  add(piece: string): void {
    if (this.full || !piece) return;
    const kept = piece.length > this.#limit - this.#length ? piece.slice(0, this.#limit - this.#length) : piece;
    this.#parts.push(kept);
    this.#length += kept.length;
  }

  text(): string {
    return this.#parts.join('');
  }
}
