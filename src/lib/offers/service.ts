import { and, asc, count, desc, eq, inArray } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db, Tx } from '#db/client';
import { applicationEvents, applications, jobs, members, offers, organizations, users, type OfferStatus } from '#db/schema';
import { withCandidate, withOptionalCandidate } from '#lib/application-context';
import type { TeamActor } from '#lib/applications/access';
import { moveWithin } from '#lib/applications/moves';
import { EVENT_KINDS } from '#lib/applications/stages';
import { JOB_EDITORS } from '#lib/domain/roles';
import { formatDate, formatPay } from '#lib/domain/format';
import { auditOrg } from '#lib/audit/log';
import { queueMail, type MailDeps } from '#lib/mail-queue';
import { absolute, paths } from '#lib/paths';
import { conflict, forbidden, invalid, notFound } from '#lib/shared/errors';
import { parseOrThrow } from '#lib/shared/forms';
import { notifyOfferAnswered } from '#lib/team-notify/emails';
import { checkOfferLink, OFFER_LINK_DAYS, offerLinkSigner, type OfferLinkSigner } from './links';
import { formatOfferPay, rangePosition, type PayPeriod } from './pay';
import { offerSchema, respondSchema, type OfferInput, type RespondInput } from './schema';
import type { ClockOpts } from '#lib/shared/clock';

/**
 * Offers: a member who edits jobs writes one (pay, start date, schedule, note);
 * when the organization asks for it, an admin approves it before it goes out.
 * Sending emails the candidate in the same transaction, with a link that answers
 * it signed out. Accepting moves the application to Hired through the pipeline's
 * own move (version check, event, the Hired email) and tells the team.
 */
const OPEN: OfferStatus[] = ['awaiting_approval', 'sent'];
const DAY = 86_400_000;

interface AppScope {
  applicationId: string;
  stage: (typeof applications.$inferSelect)['stage'];
  version: number;
  candidateId: string;
  candidateName: string;
  candidateEmail: string;
  jobId: string;
  jobTitle: string;
  orgId: string;
  orgName: string;
  payMin: number;
  payMax: number;
  payPeriod: PayPeriod;
  approvalRequired: boolean;
}

async function appScope(tx: Pick<Db, 'select'>, applicationId: string, orgId?: string): Promise<AppScope | null> {
  const [r] = await withCandidate(tx, {
    stage: applications.stage,
    version: applications.version,
    payMin: jobs.payMin,
    payMax: jobs.payMax,
    payPeriod: jobs.payPeriod,
    approvalRequired: organizations.offerApprovalRequired,
  }).where(and(eq(applications.id, applicationId), orgId ? eq(jobs.orgId, orgId) : undefined));
  // The inner join already leaves out anonymized applications (no candidate): no offer can be made to nobody.
  return r?.candidateId ? { ...r, candidateId: r.candidateId } : null;
}

function requireEditor(actor: TeamActor) {
  if (!JOB_EDITORS.includes(actor.role)) throw forbidden('Only admins and hiring managers can make offers.');
}

type OfferRow = typeof offers.$inferSelect;

function offerLines(o: Pick<OfferRow, 'payCents' | 'payPeriod' | 'startDate' | 'schedule' | 'note'>): string[] {
  return [
    `Pay: ${formatOfferPay(o.payCents, o.payPeriod)}`,
    `Start date: ${formatDate(o.startDate)}`,
    `Schedule: ${o.schedule}`,
    ...(o.note ? ['', o.note] : []),
  ];
}

/** Sends an offer (new, or just approved): status, the move to Offer, the candidate's email with the signed link, the event. */
async function sendInTx(tx: Tx, signer: OfferLinkSigner, deps: MailDeps, actor: TeamActor, offer: OfferRow, app: AppScope, now: Date): Promise<void> {
  const expires = new Date(now.getTime() + OFFER_LINK_DAYS * DAY);
  const [sent] = await tx
    .update(offers)
    .set({ status: 'sent', sentAt: now, linkExpiresAt: expires })
    .where(and(eq(offers.id, offer.id), inArray(offers.status, OPEN)))
    .returning();
  if (!sent) throw conflict('This offer was changed meanwhile; reload the page.');
  if (app.stage !== 'offer') {
    // The offer email says everything; the stage's template email would only repeat it.
    await moveWithin(tx, deps, actor, { applicationId: app.applicationId, version: app.version, to: 'offer', now, notify: false });
  }
  const token = signer(offer.id, expires);
  const link = absolute(deps.siteUrl, `${paths.offer(offer.id)}?token=${encodeURIComponent(token)}`);
  const account = absolute(deps.siteUrl, paths.myApplication(app.applicationId));
  await queueMail(
    tx,
    {
      to: app.candidateEmail,
      subject: `Your offer for ${app.jobTitle} at ${app.orgName}`,
      text: [
        `Hi ${app.candidateName},`,
        '',
        `${app.orgName} is offering you the position of ${app.jobTitle}.`,
        '',
        ...offerLines(offer),
        '',
        `Accept or decline it here (the link works for ${OFFER_LINK_DAYS} days, until ${formatDate(expires)}): ${link}`,
        `Or answer in your account: ${account}`,
        '',
        app.orgName,
      ].join('\n'),
    },
    { applicationId: app.applicationId, recipient: 'candidate' },
  );
  await offerEvent(tx, actor, app, offer, EVENT_KINDS.offerSent, now);
}

/** The application event of an offer made or sent: the pay as written, and whether it is outside the posted range. */
async function offerEvent(
  tx: Tx,
  actor: TeamActor,
  app: AppScope,
  offer: OfferRow,
  kind: typeof EVENT_KINDS.offerSent | typeof EVENT_KINDS.offerCreated,
  now: Date,
) {
  await tx.insert(applicationEvents).values({
    applicationId: app.applicationId,
    actorId: actor.userId,
    kind,
    data: { offerId: offer.id, pay: formatOfferPay(offer.payCents, offer.payPeriod), outsideRange: offer.outsideRange },
    createdAt: now,
  });
}

export interface OfferCreated {
  offerId: string;
  status: OfferStatus;
  range: 'below' | 'within' | 'above';
}

export async function createOffer(db: Db, deps: MailDeps, actor: TeamActor, raw: OfferInput, opts: ClockOpts = {}): Promise<OfferCreated> {
  requireEditor(actor);
  const v = parseOrThrow(offerSchema, raw);
  const now = opts.now ?? new Date();
  const signer = await offerLinkSigner(db);
  return db.transaction(async (tx) => {
    const app = await appScope(tx, v.applicationId, actor.orgId);
    if (!app) throw notFound();
    if (app.stage === 'withdrawn' || app.stage === 'rejected' || app.stage === 'hired') {
      throw invalid(`This application is ${app.stage}; an offer can only go to a candidate still in the pipeline.`);
    }
    const [open] = await tx
      .select({ id: offers.id })
      .from(offers)
      .where(and(eq(offers.applicationId, app.applicationId), inArray(offers.status, OPEN)));
    if (open) throw conflict('This candidate already has an open offer; withdraw it before making another.');
    const range = rangePosition(v.pay, v.payPeriod, app);
    const needsApproval = app.approvalRequired && actor.role !== 'admin';
    const [offer] = await tx
      .insert(offers)
      .values({
        applicationId: app.applicationId,
        payCents: v.pay,
        payPeriod: v.payPeriod,
        outsideRange: range !== 'within',
        startDate: v.startDate,
        schedule: v.schedule,
        note: v.note,
        status: 'awaiting_approval',
        createdBy: actor.userId,
        createdAt: now,
      })
      .returning();
    if (!offer) throw new Error('offer insert returned nothing');
    if (needsApproval) {
      await offerEvent(tx, actor, app, offer, EVENT_KINDS.offerCreated, now);
      const admins = await tx
        .select({ email: users.email, name: users.name })
        .from(members)
        .innerJoin(users, eq(users.id, members.userId))
        .where(and(eq(members.orgId, app.orgId), eq(members.role, 'admin')));
      for (const a of admins) {
        await queueMail(
          tx,
          {
            to: a.email,
            subject: `An offer awaits your approval: ${app.candidateName}, ${app.jobTitle}`,
            text: `Hi ${a.name},\n\nAn offer for ${app.candidateName} (${app.jobTitle}) waits for your approval before it is sent.\n\n${offerLines(offer).join('\n')}${offer.outsideRange ? '\n\nThe pay is outside the posted range.' : ''}\n\nReview it: ${absolute(deps.siteUrl, paths.application(app.applicationId))}\n`,
          },
          { applicationId: app.applicationId, recipient: 'team' },
        );
      }
      return { offerId: offer.id, status: 'awaiting_approval' as const, range };
    }
    await sendInTx(tx, signer, deps, actor, offer, app, now);
    return { offerId: offer.id, status: 'sent' as const, range };
  });
}

async function lockOffer(tx: Tx, offerId: string): Promise<OfferRow | null> {
  const [o] = await tx.select().from(offers).where(eq(offers.id, offerId)).for('update');
  return o ?? null;
}

/** An admin approves an offer waiting for approval: it is sent now. */
export async function approveOffer(db: Db, deps: MailDeps, actor: TeamActor, offerId: string, opts: ClockOpts = {}): Promise<{ offerId: string }> {
  const now = opts.now ?? new Date();
  const signer = await offerLinkSigner(db);
  return db.transaction(async (tx) => {
    const o = await lockOffer(tx, offerId);
    const app = o ? await appScope(tx, o.applicationId, actor.orgId) : null;
    if (!o || !app) throw notFound();
    if (actor.role !== 'admin') throw forbidden('Only an admin can approve offers.');
    if (o.status !== 'awaiting_approval') throw conflict('This offer is no longer waiting for approval; reload the page.');
    await tx.update(offers).set({ approvedBy: actor.userId, approvedAt: now }).where(eq(offers.id, o.id));
    await sendInTx(tx, signer, deps, actor, o, app, now);
    return { offerId };
  });
}

/** Withdraws an open offer (not yet answered): its link stops working. */
export async function withdrawOffer(db: Db, actor: TeamActor, offerId: string, opts: ClockOpts = {}): Promise<{ offerId: string }> {
  requireEditor(actor);
  const now = opts.now ?? new Date();
  return db.transaction(async (tx) => {
    const o = await lockOffer(tx, offerId);
    const app = o ? await appScope(tx, o.applicationId, actor.orgId) : null;
    if (!o || !app) throw notFound();
    if (!OPEN.includes(o.status)) throw conflict('The candidate already answered this offer, or it was withdrawn; reload the page.');
    await tx.update(offers).set({ status: 'withdrawn', respondedAt: now }).where(eq(offers.id, o.id));
    await tx
      .insert(applicationEvents)
      .values({ applicationId: app.applicationId, actorId: actor.userId, kind: EVENT_KINDS.offerWithdrawn, data: { offerId }, createdAt: now });
    return { offerId };
  });
}

export const LINK_REFUSALS = {
  invalid: 'This link is not valid. Open the offer from your account instead.',
  other_offer: 'This link belongs to a different offer. Open the offer from your account instead.',
  expired: 'This link has expired. Sign in and answer the offer from your account, or ask the hiring team.',
  answered: 'This offer was already answered or withdrawn, so the link no longer does anything.',
} as const;

export interface OfferAnswered {
  offerId: string;
  applicationId: string;
  decision: 'accept' | 'decline';
  openingsFilled: boolean;
}

/**
 * The candidate answers an open offer: signed in as the candidate (`userId`), or with the emailed
 * link's token. Locked and checked in one transaction, so two answers cannot both win.
 */
export async function respondToOffer(
  db: Db,
  deps: MailDeps,
  who: { userId: string } | { token: string },
  raw: RespondInput,
  opts: ClockOpts = {},
): Promise<OfferAnswered> {
  const v = parseOrThrow(respondSchema, raw);
  const now = opts.now ?? new Date();
  const via = 'token' in who ? ('link' as const) : ('account' as const);
  if ('token' in who) {
    const check = await checkOfferLink(db, who.token, v.offerId, now);
    if (!check.ok) throw invalid(LINK_REFUSALS[check.reason]);
  }
  return db.transaction(async (tx) => {
    const o = await lockOffer(tx, v.offerId);
    const app = o ? await appScope(tx, o.applicationId) : null;
    if (!o || !app) throw notFound();
    if ('userId' in who && app.candidateId !== who.userId) throw notFound();
    if (o.status !== 'sent') throw conflict(LINK_REFUSALS.answered);
    const accepted = v.decision === 'accept';
    await tx
      .update(offers)
      .set({ status: accepted ? 'accepted' : 'declined', respondedAt: now, respondedVia: via })
      .where(eq(offers.id, o.id));
    await tx.insert(applicationEvents).values({
      applicationId: app.applicationId,
      actorId: app.candidateId,
      kind: accepted ? EVENT_KINDS.offerAccepted : EVENT_KINDS.offerDeclined,
      data: { offerId: o.id, via },
      createdAt: now,
    });
    let filled = false;
    if (accepted) {
      // The candidate's own acceptance is the move: the pipeline's compare-and-set on the version read here.
      await moveWithin(
        tx,
        deps,
        { userId: app.candidateId, orgId: app.orgId, role: 'recruiter' },
        { applicationId: app.applicationId, version: app.version, to: 'hired', now, notify: true },
      );
      filled = (await openingsInTx(tx, app.jobId)).filled;
    }
    await notifyOfferAnswered(tx, deps.siteUrl, {
      applicationId: app.applicationId,
      jobId: app.jobId,
      jobTitle: app.jobTitle,
      candidate: app.candidateName,
      accepted,
      offerCreatorId: o.createdBy,
      openingsFilled: filled,
    });
    return { offerId: o.id, applicationId: app.applicationId, decision: v.decision, openingsFilled: filled };
  });
}

export interface Openings {
  openings: number;
  hired: number;
  /** Every opening has its hire while the posting is still published: ask whether to close it. */
  filled: boolean;
  status: string;
}

async function openingsInTx(db: Pick<Db, 'select'>, jobId: string): Promise<Openings> {
  const [r] = await db
    .select({ openings: jobs.openings, status: jobs.status, hired: count(applications.id) })
    .from(jobs)
    .leftJoin(applications, and(eq(applications.jobId, jobs.id), eq(applications.stage, 'hired')))
    .where(eq(jobs.id, jobId))
    .groupBy(jobs.id);
  if (!r) return { openings: 0, hired: 0, filled: false, status: 'closed' };
  const hired = Number(r.hired);
  return { openings: r.openings, hired, status: r.status, filled: r.status === 'published' && hired >= r.openings };
}

/** The job's openings and hires (the pipeline page asks to close a filled posting). The caller has checked the job is the member's. */
export const openingsOf = openingsInTx;

// ---------------------------------------------------------------- reading

export interface OfferView {
  id: string;
  pay: string;
  outsideRange: boolean;
  startDate: string;
  schedule: string;
  note: string | null;
  status: OfferStatus;
  createdBy: string | null;
  approvedBy: string | null;
  createdAt: Date;
  sentAt: Date | null;
  respondedAt: Date | null;
  respondedVia: 'account' | 'link' | null;
}

const creator = alias(users, 'offer_creator');
const approver = alias(users, 'offer_approver');

async function offerViews(db: Pick<Db, 'select'>, applicationId: string): Promise<OfferView[]> {
  const rows = await db
    .select({ o: offers, createdBy: creator.name, approvedBy: approver.name })
    .from(offers)
    .leftJoin(creator, eq(creator.id, offers.createdBy))
    .leftJoin(approver, eq(approver.id, offers.approvedBy))
    .where(eq(offers.applicationId, applicationId))
    .orderBy(desc(offers.createdAt), asc(offers.id));
  return rows.map(({ o, createdBy, approvedBy }) => ({
    id: o.id,
    pay: formatOfferPay(o.payCents, o.payPeriod),
    outsideRange: o.outsideRange,
    startDate: o.startDate,
    schedule: o.schedule,
    note: o.note,
    status: o.status,
    createdBy,
    approvedBy,
    createdAt: o.createdAt,
    sentAt: o.sentAt,
    respondedAt: o.respondedAt,
    respondedVia: o.respondedVia,
  }));
}

/** Every offer of an application, for its organization's members (not found for anyone else). */
export async function offersForTeam(
  db: Db,
  actor: TeamActor,
  applicationId: string,
): Promise<{ offers: OfferView[]; approvalRequired: boolean; postedPay: string; payPeriod: PayPeriod }> {
  // Not appScope: an anonymized application (no candidate) still shows its offers' history to the team.
  const [app] = await withOptionalCandidate(db, {
    approvalRequired: organizations.offerApprovalRequired,
    payMin: jobs.payMin,
    payMax: jobs.payMax,
    payPeriod: jobs.payPeriod,
  }).where(and(eq(applications.id, applicationId), eq(jobs.orgId, actor.orgId)));
  if (!app) throw notFound();
  return {
    offers: await offerViews(db, applicationId),
    approvalRequired: app.approvalRequired,
    postedPay: formatPay(app.payMin, app.payMax, app.payPeriod),
    payPeriod: app.payPeriod,
  };
}

/** The offers a candidate has seen on their own application (drafts waiting for approval are the team's business). */
export async function offersForCandidate(db: Db, userId: string, applicationId: string): Promise<OfferView[]> {
  const app = await appScope(db, applicationId);
  if (!app || app.candidateId !== userId) return [];
  return (await offerViews(db, applicationId)).filter((o) => o.sentAt !== null);
}

/** The offer behind an emailed link, when the link is good for it; else why not. */
export async function offerForLink(
  db: Db,
  offerId: string,
  token: string,
  now = new Date(),
): Promise<{ ok: true; offer: OfferView; jobTitle: string; orgName: string; candidateName: string } | { ok: false; message: string }> {
  const check = await checkOfferLink(db, token, offerId, now);
  if (!check.ok) return { ok: false, message: LINK_REFUSALS[check.reason] };
  const [o] = await db.select({ applicationId: offers.applicationId }).from(offers).where(eq(offers.id, offerId));
  const app = o ? await appScope(db, o.applicationId) : null;
  const view = app ? (await offerViews(db, app.applicationId)).find((x) => x.id === offerId) : undefined;
  if (!app || !view) return { ok: false, message: LINK_REFUSALS.invalid };
  return { ok: true, offer: view, jobTitle: app.jobTitle, orgName: app.orgName, candidateName: app.candidateName };
}

/** Turns the organization's approval rule on or off (admins, from the organization's settings). */
export async function setOfferApproval(db: Db, actor: TeamActor, required: boolean): Promise<void> {
  if (actor.role !== 'admin') throw forbidden('Only admins can change how offers are approved.');
  await db.transaction(async (tx) => {
    await tx.update(organizations).set({ offerApprovalRequired: required }).where(eq(organizations.id, actor.orgId));
    await auditOrg(tx, actor, { action: 'offers.approval_changed', data: { required } });
  });
}

export const offerStatusLabel: Record<OfferStatus, string> = {
  awaiting_approval: 'Waiting for an admin’s approval',
  sent: 'Sent; waiting for the candidate',
  accepted: 'Accepted',
  declined: 'Declined',
  withdrawn: 'Withdrawn',
};
