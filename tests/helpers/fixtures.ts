import crypto from 'node:crypto';
import type { Db } from '#db/client';
import { jobCredentials, jobs, organizations } from '#db/schema';
import { credentialByCode, roleBySlug } from '#lib/domain/taxonomy';
import { enqueueSearchSync } from '#lib/search/outbox';

type JobInsert = typeof jobs.$inferInsert;

export async function insertOrg(db: Db, name = `Org ${crypto.randomBytes(3).toString('hex')}`) {
  const [org] = await db
    .insert(organizations)
    .values({ name, slug: name.toLowerCase().replace(/[^a-z0-9]+/g, '-') })
    .returning();
  return org!;
}

const DAY = 86_400_000;

/**
 * A job row as the posting service would write it (with search_extra and its
 * outbox row, in one transaction), with overridable fields for search tests.
 */
export async function insertJob(db: Db, orgId: string, over: Partial<JobInsert> & { credentials?: string[]; orgName?: string } = {}) {
  const { credentials = ['LCSW'], orgName = '', ...fields } = over;
  const id = crypto.randomUUID();
  const title = fields.title ?? 'Primary Therapist – Adult PHP';
  const role = fields.role ?? 'therapist';
  const values: JobInsert = {
    id,
    orgId,
    slug: `${title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${id.slice(0, 8)}`,
    title,
    role,
    programType: 'PHP',
    setting: 'onsite',
    schedule: 'days',
    track: 'day',
    employmentType: 'full_time',
    payMin: 60000,
    payMax: 75000,
    payPeriod: 'year',
    city: 'Pittsburgh',
    state: 'PA',
    zip: '15213',
    lat: 40.4443,
    lng: -79.9554,
    descriptionMd: 'Lead group and individual therapy in our adult partial hospitalization program.',
    populations: ['adults'],
    supervisionOffered: false,
    status: 'published',
    postedAt: new Date(Date.now() - DAY),
    validThrough: new Date(Date.now() + 30 * DAY),
    ...fields,
    searchExtra: [
      ...credentials.flatMap((c) => [c, credentialByCode(c)?.name ?? '']),
      orgName,
      roleBySlug(role)?.name ?? role,
    ].join(' '),
  };
  await db.transaction(async (tx) => {
    await tx.insert(jobs).values(values);
    if (credentials.length) await tx.insert(jobCredentials).values(credentials.map((c) => ({ jobId: id, credentialCode: c })));
    await enqueueSearchSync(tx, [id]);
  });
  return { ...values, id, credentials };
}
