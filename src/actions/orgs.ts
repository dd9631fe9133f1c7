import { z } from 'zod';
import { ALL_ROLES, ORG_ADMINS } from '#lib/domain/roles';
import { setActiveOrg } from '#lib/auth/session';
import { startSession } from '#lib/web/request-auth';
import { env } from '#lib/env';
import { safeRedirect } from '#lib/shared/redirect';
import {
  acceptInvitationSchema,
  changeRoleSchema,
  inviteSchema,
  organizationSchema,
  removeMemberSchema,
  revokeInvitationSchema,
  switchOrgSchema,
  updateOrganizationSchema,
} from '#lib/orgs/schema';
import { acceptInvitation, changeMemberRole, createOrganization, inviteMember, removeMember, revokeInvitation, updateOrganization } from '#lib/orgs/service';
import { activeMembership } from '#lib/orgs/queries';
import { setRetention } from '#lib/retention/policy';
import { retentionFormSchema } from '#lib/retention/schema';
import { logoTooLargeMessage, MAX_LOGO_BYTES } from '#lib/logos/image';
import { setOrganizationLogo } from '#lib/logos/service';
import { defaultLogoStore } from '#lib/logos/storage';
import { orgRefField } from '#lib/orgs/schema';
import { invalid } from '#lib/shared/errors';
import { memberAction, userAction } from './_shared';

/** Organizations, members, invitations. Each handler guards itself with requireMember (memberAction). */
export const orgs = {
  create: userAction(organizationSchema, async ({ db, ctx }, user, input) => {
    const org = await createOrganization(db, user.id, input);
    // Becoming an admin is a privilege change: a new session, acting for the new organization.
    await startSession(ctx, db, user, { activeOrgId: org.id });
    return { slug: org.slug };
  }),

  update: memberAction(updateOrganizationSchema, ORG_ADMINS, async ({ db }, m, { org: _org, ...input }) => {
    const r = await updateOrganization(db, m, input);
    return { slug: r.org.slug };
  }),

  /** How long ended applications keep the candidate's data (admins; settings page). */
  setRetention: memberAction(retentionFormSchema, ORG_ADMINS, async ({ db }, m, { months }) => {
    const r = await setRetention(db, m, { months });
    return { slug: m.orgSlug, months: r.months };
  }),

  /** A logo upload: checked and re-encoded server-side (src/lib/logos/image.ts); a refused file changes nothing. */
  uploadLogo: memberAction(
    z.object({ org: orgRefField, logo: z.instanceof(File, { error: 'Choose a PNG, JPEG or WebP image to upload.' }) }),
    ORG_ADMINS,
    async ({ db }, m, { logo }) => {
      if (logo.size === 0 && !logo.name)
        throw invalid('Choose a PNG, JPEG or WebP image to upload.', { logo: ['Choose a PNG, JPEG or WebP image to upload.'] });
      // Refused before the bytes are read into memory.
      if (logo.size > MAX_LOGO_BYTES)
        throw invalid(logoTooLargeMessage(logo.size), { logo: [`${logoTooLargeMessage(logo.size)} Save a smaller version and try again.`] });
      const r = await setOrganizationLogo(db, defaultLogoStore(), m, new Uint8Array(await logo.arrayBuffer()));
      return { slug: m.orgSlug, logoPath: r.logoPath };
    },
  ),

  removeLogo: memberAction(z.object({ org: orgRefField }), ORG_ADMINS, async ({ db }, m) => {
    await setOrganizationLogo(db, defaultLogoStore(), m, null);
    return { slug: m.orgSlug, logoPath: null };
  }),

  invite: memberAction(inviteSchema, ORG_ADMINS, async ({ db, mail }, m, input) => {
    const r = await inviteMember(db, mail, { ...m, name: m.user.name }, { email: input.email, role: input.role });
    return { email: input.email, resent: r.resent };
  }),

  revokeInvitation: memberAction(revokeInvitationSchema, ORG_ADMINS, async ({ db }, m, input) => {
    await revokeInvitation(db, m, input.invitationId);
    return { revoked: input.invitationId };
  }),

  changeRole: memberAction(changeRoleSchema, ORG_ADMINS, async ({ db, ctx }, m, input) => {
    const r = await changeMemberRole(db, m, input.userId, input.role);
    // The member's sessions all ended; if that was the acting admin, this browser gets a fresh one.
    if (r.changed && r.self) {
      ctx.locals.session = null;
      await startSession(ctx, db, m.user, { activeOrgId: m.orgId });
    }
    return { changed: r.changed, self: r.self, orgSlug: m.orgSlug };
  }),

  removeMember: memberAction(removeMemberSchema, ALL_ROLES, async ({ db, ctx }, m, input) => {
    const r = await removeMember(db, m, input.userId);
    if (r.self) ctx.locals.membership = await activeMembership(db, m.userId, null);
    return { self: r.self, orgSlug: m.orgSlug };
  }),

  /** Acting for another of one's organizations keeps the session (no privilege is gained that the user did not hold). */
  switch: memberAction(switchOrgSchema, ALL_ROLES, async ({ db, ctx }, m, input) => {
    if (!ctx.locals.session) throw new Error('signed-in user without a session');
    await setActiveOrg(db, ctx.locals.session.id, m.orgId);
    ctx.locals.session = { ...ctx.locals.session, activeOrgId: m.orgId };
    ctx.locals.membership = { orgId: m.orgId, orgSlug: m.orgSlug, orgName: m.orgName, role: m.role };
    return { slug: m.orgSlug, next: safeRedirect(input.next, env().PUBLIC_SITE_URL, `/employer/${m.orgSlug}`) };
  }),

  acceptInvitation: userAction(acceptInvitationSchema, async ({ db, ctx }, user, input) => {
    const r = await acceptInvitation(db, user, input.token);
    // Joining is a privilege change: a new session, acting for the organization joined.
    await startSession(ctx, db, { ...user, emailVerified: true }, { activeOrgId: r.orgId });
    return { slug: r.orgSlug };
  }),
};
