import { describe, expect, it } from 'vitest';
import { CITIES } from '#db/seed/cities';
import { generateJobs, type JobOrg } from '#db/seed/jobs';
import { createRng } from '#db/seed/random';
import { renderUntrustedMarkdown } from '#lib/markdown';

// Names with the characters HTML escapes, so the written HTML has to escape them as the renderer does.
const orgs: JobOrg[] = [
  { id: '00000000-0000-4000-8000-000000000001', name: "O'Brien & Sons > Recovery", cities: CITIES.slice(0, 40) },
  { id: '00000000-0000-4000-8000-000000000002', name: 'Harbor "Bridge" Health', cities: CITIES.slice(40, 120) },
];

describe('seeded job descriptions', () => {
  it('store the very HTML the job service renders from their Markdown', () => {
    const { jobs } = generateJobs(createRng('seed-description'), 1500, orgs, { now: new Date('2026-11-01T00:00:00Z') });
    for (const job of jobs) expect(job.descriptionHtml).toBe(renderUntrustedMarkdown(job.descriptionMd));
    // The sample reaches the shapes the writer handles: bold labels, lists, escaped names.
    const all = jobs.map((j) => j.descriptionMd).join('\n');
    expect(all).toContain('**');
    expect(all).toContain('\n- ');
    expect(jobs.some((j) => j.descriptionHtml?.includes("O'Brien &amp; Sons &gt; Recovery"))).toBe(true);
  });

  it('refuses text that Markdown would read as HTML', () => {
    const tagged: JobOrg[] = [{ ...orgs[0]!, name: 'Care <b>Plus</b>' }];
    expect(() => generateJobs(createRng('seed-description'), 5, tagged)).toThrow(/cannot hold "<"/);
  });
});
