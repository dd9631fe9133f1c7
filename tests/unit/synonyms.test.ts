import { describe, expect, it } from 'vitest';
import { buildSynonyms, typoExemptWords } from '#lib/search/synonyms';
import { toTsQuery } from '#lib/search/pg-query';
import { plainText, toJobDocument } from '#lib/search/documents';
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

describe('index documents', () => {
  it('turn markdown into a plain excerpt', () => {
    expect(plainText('## About\n**Great** [team](https://x.y)')).toBe('About Great team');
    expect(plainText('Intro\n\n```\ncode here\n```\n\n![logo](a.png) - on-site  --  ok\u00a0now')).toBe('Intro on site ok now');
    expect(plainText('> quote | table ~~gone~~ _em_', 12)).toBe('quote table …');
  });
  it('annualize pay and expand programs', () => {
    const d = toJobDocument({
      id: 'a',
      slug: 's',
      title: 't',
      role: 'therapist',
      programType: 'PHP_IOP',
      setting: 'onsite',
      schedule: 'days',
      track: 'day',
      employmentType: 'full_time',
      payMin: 30,
      payMax: 40,
      payPeriod: 'hour',
      city: 'Pittsburgh',
      state: 'PA',
      zip: '15213',
      lat: 40.4,
      lng: -79.9,
      descriptionMd: 'x',
      populations: ['adults'],
      supervisionOffered: true,
      postedAt: new Date(1_700_000_000_000),
      validThrough: new Date(1_800_000_000_000),
      orgId: 'o',
      orgName: 'Org',
      orgSlug: 'org',
      credentials: ['LPC', 'LCSW'],
    });
    expect(d.payMinAnnual).toBe(62_400);
    expect(d.programs).toEqual(['PHP', 'IOP', 'PHP_IOP']);
    expect(d.credentials).toEqual(['LCSW', 'LPC']);
    expect(d.credentialClasses.sort()).toEqual(['professional-counselor', 'social-work']);
    expect(d.postedAt).toBe(1_700_000_000);
  });
});

describe('outbox backoff', () => {
  it('doubles and caps', () => {
    expect([1, 2, 3, 4].map(backoffMs)).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(30)).toBe(300_000);
  });
});
