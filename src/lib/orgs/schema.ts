import { z } from 'zod';
import { isHttpUrl } from '#lib/shared/forms';
import { text } from '#lib/shared/text';
import { MEMBER_ROLES, STATE_CODES, US_STATES, type MemberRole } from '#lib/domain/taxonomy';
import { emailField } from '#lib/auth/schema';

// Organization forms' schemas: defined once, used by the form, the action and the service.

/** Each member role: what it is called, and what it may do (shown where roles are chosen). */
export const MEMBER_ROLE_TEXT: Record<MemberRole, { label: string; description: string }> = {
  admin: { label: 'Admin', description: 'Everything, including members, invitations and the organization profile' },
  hiring_manager: { label: 'Hiring manager', description: 'Writes, publishes and closes job postings' },
  recruiter: { label: 'Recruiter', description: 'Sees postings and screens applicants' },
};

/** "an admin", "a hiring manager": the role inside a sentence. */
export function roleInSentence(role: MemberRole): string {
  const name = MEMBER_ROLE_TEXT[role].label.toLowerCase();
  return `${/^[aeiou]/.test(name) ? 'an' : 'a'} ${name}`;
}

/** An organization reference in a form: its id (hidden field). */
export const orgRefField = text({ error: 'Missing organization.' }).min(1).max(200);

export const roleField = z.enum(MEMBER_ROLES, { error: 'Choose a role.' });

/** "City, ST" per line → [{ city, state }]. */
export function parseLocations(text: string): { locations: { city: string; state: string }[]; errors: string[] } {
  const locations: { city: string; state: string }[] = [];
  const errors: string[] = [];
  const seen = new Set<string>();
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.{2,80}?),\s*([A-Za-z]{2})$/.exec(line);
    const state = m?.[2]?.toUpperCase();
    if (!m || !state || !(state in US_STATES)) {
      errors.push(`“${line.slice(0, 60)}” should look like “Pittsburgh, PA”.`);
      continue;
    }
    const key = `${m[1]!.trim().toLowerCase()}|${state}`;
    if (seen.has(key)) continue;
    seen.add(key);
    locations.push({ city: m[1]!.trim(), state });
  }
  if (locations.length > 50) errors.push('List at most 50 locations.');
  return { locations, errors };
}

export const formatLocations = (locs: { city: string; state: string }[]) => locs.map((l) => `${l.city}, ${l.state}`).join('\n');

const locationListSchema = z.array(z.object({ city: text().trim().min(2).max(80), state: z.enum(STATE_CODES) })).max(50, 'List at most 50 locations.');

const websiteField = text()
  .trim()
  .max(300, 'Use at most 300 characters.')
  .transform((v) => (/^https?:\/\//i.test(v) ? v : `https://${v}`))
  .refine(isHttpUrl, 'Enter a web address like https://example.org.')
  // Outermost optional: an empty field arrives as undefined (see formDataToObject in Astro's actions).
  .optional();

export const organizationSchema = z.object({
  name: text({ error: 'Enter the organization’s name.' }).trim().min(2, 'Enter the organization’s name.').max(120, 'Use at most 120 characters.'),
  website: websiteField,
  description: text().trim().max(2000, 'Use at most 2,000 characters.').optional(),
  /** Textarea text ("City, ST" per line) from the form, or an already parsed list from code. */
  locations: z
    .unknown()
    .transform((v, ctx) => {
      if (Array.isArray(v)) {
        const r = locationListSchema.safeParse(v);
        if (!r.success) for (const i of r.error.issues) ctx.addIssue({ code: 'custom', message: i.message });
        return r.success ? r.data : [];
      }
      if (v !== undefined && v !== null && typeof v !== 'string') {
        ctx.addIssue({ code: 'custom', message: 'List locations one per line, as City, ST.' });
        return [];
      }
      const { locations, errors } = parseLocations((v ?? '').slice(0, 5000));
      for (const e of errors) ctx.addIssue({ code: 'custom', message: e });
      return locations;
    })
    .optional(),
});
export type OrganizationInput = z.input<typeof organizationSchema>;

export const updateOrganizationSchema = organizationSchema.extend({ org: orgRefField });

export const inviteSchema = z.object({ org: orgRefField, email: emailField, role: roleField });
export const changeRoleSchema = z.object({ org: orgRefField, userId: z.uuid('Unknown member.'), role: roleField });
export const removeMemberSchema = z.object({ org: orgRefField, userId: z.uuid('Unknown member.') });
export const revokeInvitationSchema = z.object({ org: orgRefField, invitationId: z.uuid('Unknown invitation.') });
/** `next` is taken raw on purpose: safeRedirect (in the action) drops an unsafe value rather than refusing the form. */
export const switchOrgSchema = z.object({ org: orgRefField, next: z.string().max(4096).optional() });
export const acceptInvitationSchema = z.object({
  token: text().regex(/^[a-z2-7]{32}$/, 'This invitation link is not valid.'),
});

export { STATE_CODES };
