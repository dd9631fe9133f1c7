import { z } from 'zod';
import { COMPACTS, CREDENTIAL_CODES, ROLE_SLUGS, credentialByCode } from '#lib/domain/taxonomy';

/**
 * Front-matter schemas for the three content collections (content/FRONTMATTER.md
 * is the human-readable version of this file). Plain zod, no astro:* imports, so
 * src/content.config.ts and the unit tests validate with the very same objects.
 *
 * What a schema cannot see (the file name, whether a linked page exists) is
 * checked by tests/unit/content.test.ts.
 */

export const GUIDE_KINDS = ['interview', 'levels-of-care', 'resume', 'licensure'] as const;
export type GuideKind = (typeof GUIDE_KINDS)[number];
export const GUIDE_KIND_LABELS: Record<GuideKind, string> = {
  interview: 'Interview prep',
  'levels-of-care': 'Levels of care',
  resume: 'Resume and cover letter',
  licensure: 'Licensure',
};

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const title = z.string().trim().min(3).max(120);
const description = z.string().trim().min(20).max(160, 'description must be 160 characters or fewer (it is the meta description)');
const roleSlug = z.enum(ROLE_SLUGS, {
  error: (iss) => `Unknown role slug "${String(iss.input)}". Use one of: ${ROLE_SLUGS.join(', ')}.`,
});
const credentialCode = z.enum(CREDENTIAL_CODES as [string, ...string[]], {
  error: (iss) => `Unknown credential code "${String(iss.input)}". Use one of: ${CREDENTIAL_CODES.join(', ')}.`,
});
const guideSlug = z.string().regex(SLUG, 'a guide slug is lowercase words joined by hyphens');
/** YAML turns 2026-11-20 into a Date; a quoted string is accepted too. */
const lastReviewed = z.coerce.date({ error: 'lastReviewed must be a date such as 2026-11-20' });
const shortText = z.string().trim().min(2).max(200);

function unique<T>(label: string) {
  return (arr: T[], ctx: z.RefinementCtx) => {
    const seen = new Set<T>();
    for (const v of arr) {
      if (seen.has(v)) ctx.addIssue({ code: 'custom', message: `${label} lists "${String(v)}" twice` });
      seen.add(v);
    }
  };
}

export const roleSchema = z
  .strictObject({
    title,
    description,
    role: roleSlug,
    requiredCredentials: z.array(credentialCode).min(1).superRefine(unique('requiredCredentials')),
    preferredCredentials: z.array(credentialCode).superRefine(unique('preferredCredentials')),
    skills: z.array(shortText).min(4, 'list 4 to 10 skills').max(10, 'list 4 to 10 skills').superRefine(unique('skills')),
    schedule: z.string().trim().min(10).max(300),
    careerPath: z.array(shortText).min(2),
    interviewGuide: guideSlug,
    relatedRoles: z.array(roleSlug).superRefine(unique('relatedRoles')),
    lastReviewed,
  })
  .superRefine((d, ctx) => {
    for (const c of d.preferredCredentials) {
      if (d.requiredCredentials.includes(c))
        ctx.addIssue({
          code: 'custom',
          path: ['preferredCredentials'],
          message: `${c} is listed as both required and preferred`,
        });
    }
    if (d.relatedRoles.includes(d.role)) ctx.addIssue({ code: 'custom', path: ['relatedRoles'], message: 'a role is not related to itself' });
  });
export type RoleData = z.output<typeof roleSchema>;

export const credentialSchema = z
  .strictObject({
    title,
    code: credentialCode,
    description,
    kind: z.enum(['license', 'certification']),
    issuer: z.string().trim().min(3).max(200),
    compact: z.enum(COMPACTS).nullable(),
    stateVariants: z.array(shortText).superRefine(unique('stateVariants')),
    roles: z.array(roleSlug).min(1).superRefine(unique('roles')),
    lastReviewed,
  })
  .superRefine((d, ctx) => {
    // The taxonomy is the source of truth for kind and compact: the page must not contradict search and eligibility.
    const def = credentialByCode(d.code);
    if (!def) return;
    if (def.kind !== d.kind)
      ctx.addIssue({
        code: 'custom',
        path: ['kind'],
        message: `${d.code} is a ${def.kind} in the taxonomy, not a ${d.kind}`,
      });
    if (def.compact !== d.compact)
      ctx.addIssue({
        code: 'custom',
        path: ['compact'],
        message: `${d.code} has compact ${String(def.compact)} in the taxonomy, not ${String(d.compact)}`,
      });
  });
export type CredentialData = z.output<typeof credentialSchema>;

/** What an interview assesses. Interview guides list them; each job's interview kit is made from them. */
const competencyName = z.string().trim().min(3).max(80);
export const guideCompetencySchema = z.strictObject({
  name: competencyName,
  /** What interviewers look for, in one or two sentences (candidates read it too). */
  summary: z.string().trim().min(20).max(300),
});
export type GuideCompetency = z.output<typeof guideCompetencySchema>;

export const faqItemSchema = z.strictObject({
  question: z.string().trim().min(10).max(300),
  answer: z.string().trim().min(20).max(1200),
  /** The competency (by name, from the guide's `competencies`) this question assesses. */
  competency: competencyName.optional(),
});

export const guideSchema = z
  .strictObject({
    title,
    description,
    kind: z.enum(GUIDE_KINDS),
    roles: z.array(roleSlug).superRefine(unique('roles')),
    competencies: z.array(guideCompetencySchema).min(2).max(8).optional(),
    faq: z.array(faqItemSchema).min(1).optional(),
    lastReviewed,
  })
  .superRefine((d, ctx) => {
    // Interview guides are the source of every job's interview kit: what candidates practise is what interviewers score.
    if (d.kind === 'interview' && (!d.competencies || !d.faq))
      ctx.addIssue({ code: 'custom', path: ['competencies'], message: 'an interview guide lists its competencies and the questions (faq) that assess them' });
    const names = new Set<string>();
    for (const c of d.competencies ?? []) {
      if (names.has(c.name)) ctx.addIssue({ code: 'custom', path: ['competencies'], message: `competencies lists "${c.name}" twice` });
      names.add(c.name);
    }
    if (!d.competencies) return;
    const used = new Set<string>();
    (d.faq ?? []).forEach((q, i) => {
      if (!q.competency) ctx.addIssue({ code: 'custom', path: ['faq', i, 'competency'], message: 'name the competency this question assesses' });
      else if (!names.has(q.competency))
        ctx.addIssue({ code: 'custom', path: ['faq', i, 'competency'], message: `"${q.competency}" is not one of this guide's competencies` });
      else used.add(q.competency);
    });
    for (const n of names) if (!used.has(n)) ctx.addIssue({ code: 'custom', path: ['competencies'], message: `no question assesses "${n}"` });
  });
export type GuideData = z.output<typeof guideSchema>;
export type FaqItem = z.output<typeof faqItemSchema>;
