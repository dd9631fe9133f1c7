import { describe, expect, it } from 'vitest';
import { buildSynonyms, typoExemptWords } from '#lib/search/synonyms';
import { toTsQuery } from '#lib/search/pg-query';
import { backoffMs } from '#lib/queue/table';

describe('synonyms', () => {
  const syn = buildSynonyms();
  it('go both ways', () => {
    expect(syn.lcsw).toContain('licensed clinical social worker');
    expect(syn['licensed clinical social worker']).toContain('lcsw');
    expect(syn.php).toContain('partial hospitalization');
    expect(syn['partial hospitalization']).toContain('php');
    expect(syn.remote).toContain('telehealth');
    expect(syn.addiction).toContain('sud');
  });
  it('merge state titles of the independent counselor license', () => {
    for (const code of ['lmhc', 'lpcc', 'lcpc', 'lcmhc']) expect(syn.lpc).toContain(code);
    expect(syn.lmhc).toContain('licensed professional counselor');
  });
  it('keep LPN apart from LPC and associates apart from independents', () => {
    expect(syn.lpn ?? []).not.toContain('lpc');
    expect(syn.lpc).not.toContain('lpn');
    expect(syn.lcsw).not.toContain('lmsw');
  });
  it('credential codes are exempt from typos', () => {
    const words = typoExemptWords();
    for (const w of ['lpc', 'lpn', 'lcsw', 'licsw', 'rn']) expect(words).toContain(w);
  });
});

describe('PostgreSQL query text', () => {
  it('applies the same synonyms, ANDs words and prefixes the last', () => {
    const q = toTsQuery('LCSW therapist pitts');
    expect(q).toContain('lcsw');
    expect(q).toContain('(licensed <-> clinical <-> social <-> worker)');
    expect(q).toContain('clinician');
    expect(q.endsWith('pitts:*')).toBe(true);
    expect(q.split(' & ')).toHaveLength(3);
  });
  it('recognizes multi-word synonyms in the query', () => {
    const q = toTsQuery('partial hospitalization nurse');
    expect(q).toMatch(/^\(php \|/);
  });
  it('strips everything but letters and digits', () => {
    expect(toTsQuery(`'); drop table jobs; --`)).toBe('drop & table & jobs:*');
    expect(toTsQuery('   ')).toBe('');
  });
});

describe('outbox backoff', () => {
  it('doubles and caps', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30)).toBe(300_000);
  });
});
