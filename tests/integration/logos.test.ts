import fs from 'node:fs';
import path from 'node:path';
import { eq, inArray } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { auditLog, organizations, searchOutbox } from '#db/schema';
import { latestOpenJobs, summaryToHit } from '#lib/jobs/queries';
import { LOGO_MAX_SIDE, MAX_LOGO_BYTES } from '#lib/logos/image';
import { setOrganizationLogo } from '#lib/logos/service';
import { loadIndexState } from '#lib/search/documents';
import { ServiceError } from '#lib/shared/errors';
import { makeJob, makeTeam, tempStore } from '../helpers/factories';
import { hasPostgres, skipReason } from '../helpers/services';
import { useTestDb } from '../helpers/test-db';

const image = (format: 'png' | 'jpeg' | 'webp' | 'gif', w = 800, h = 400) =>
  sharp({ create: { width: w, height: h, channels: 3, background: { r: 11, g: 94, b: 107 } } })
    .toFormat(format)
    .toBuffer()
    .then((b) => new Uint8Array(b));

describe.skipIf(!hasPostgres)(`organization logos (${skipReason})`, () => {
  const h = useTestDb();
  const store = tempStore();
  afterAll(() => store.cleanup());

  const logoOf = async (orgId: string) => (await h.db.select({ p: organizations.logoPath }).from(organizations).where(eq(organizations.id, orgId)))[0]!.p;

  it('re-encodes PNG, JPEG and WebP to a small WebP named by its hash, and search documents and cards carry it', async () => {
    const team = await makeTeam(h.db);
    const job = await makeJob(h.db, team.org.id);
    for (const format of ['png', 'jpeg', 'webp'] as const) {
      const r = await setOrganizationLogo(h.db, store, team.actors.admin, await image(format));
      expect(r.logoPath).toMatch(/^[0-9a-f]{32}$/);
      const file = path.join(store.dir, `${r.logoPath}.webp`);
      const meta = await sharp(fs.readFileSync(file)).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['webp', LOGO_MAX_SIDE, LOGO_MAX_SIDE / 2]);
      expect(await logoOf(team.org.id)).toBe(r.logoPath);
    }
    const key = await logoOf(team.org.id);
    const outbox = await h.db
      .select()
      .from(searchOutbox)
      .where(inArray(searchOutbox.jobId, [job.id]));
    expect(outbox.length).toBeGreaterThan(0);
    const { upserts } = await loadIndexState(h.db, [job.id]);
    expect(upserts[0]!.orgLogo).toBe(key);
    const [summary] = await latestOpenJobs(h.db, 1, { orgId: team.org.id });
    expect(summaryToHit(summary!).orgLogo).toBe(key);
    const audits = await h.db.select().from(auditLog).where(eq(auditLog.orgId, team.org.id));
    expect(audits.filter((a) => a.action === 'organization.logo_set')).toHaveLength(3);
    await setOrganizationLogo(h.db, store, team.actors.admin, null);
    expect(await logoOf(team.org.id)).toBeNull();
  });

  it('refuses anything but PNG, JPEG or WebP by its bytes, too large, or damaged, and changes nothing', async () => {
    const team = await makeTeam(h.db);
    const good = await setOrganizationLogo(h.db, store, team.actors.admin, await image('png', 300, 300));
    const filesBefore = store.files().sort();
    const pngHeader = (await image('png')).slice(0, 40); // a PNG signature, then nothing decodable
    const cases: [string, Uint8Array, RegExp][] = [
      ['gif', await image('gif'), /PNG, JPEG or WebP.*GIF/],
      ['text named .png', new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'), /PNG, JPEG or WebP/],
      ['truncated png', pngHeader, /damaged|could not be read/],
      ['empty', new Uint8Array(), /empty/],
      ['too large', new Uint8Array(MAX_LOGO_BYTES + 1), /the limit for a logo is 2 MB/],
    ];
    for (const [label, bytes, message] of cases) {
      const err = await setOrganizationLogo(h.db, store, team.actors.admin, bytes).catch((e: unknown) => e);
      expect(err, label).toBeInstanceOf(ServiceError);
      expect((err as ServiceError).code, label).toBe('invalid');
      expect((err as ServiceError).fields.logo?.[0], label).toMatch(message);
    }
    expect(await logoOf(team.org.id)).toBe(good.logoPath);
    expect(store.files().sort()).toEqual(filesBefore);
  });

  it('only an admin sets the logo', async () => {
    const team = await makeTeam(h.db);
    const err = await setOrganizationLogo(h.db, store, team.actors.hiring_manager, await image('png')).catch((e: unknown) => e);
    expect((err as ServiceError).code).toBe('forbidden');
    expect(await logoOf(team.org.id)).toBeNull();
  });
});
