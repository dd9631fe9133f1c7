import { and, eq } from 'drizzle-orm';
import type { Db } from '#db/client';
import { emailTemplates } from '#db/schema';
import { JOB_EDITORS } from '#lib/domain/roles';
import type { MemberRole } from '#lib/domain/taxonomy';
import { forbidden, invalid } from '#lib/shared/errors';
import { auditOrg } from '#lib/audit/log';
import { parseOrThrow } from '#lib/shared/forms';
import { templateSchema } from './schema';
import { DEFAULT_TEMPLATES, NOTIFY_STAGES, PLACEHOLDERS, unknownPlaceholders, type EmailTemplate, type NotifyStage } from './templates';
import type { ClockOpts } from '#lib/shared/clock';

/** Per-organization email templates: the organization's own wording, or the default. */
export interface OrgTemplate extends EmailTemplate {
  stage: NotifyStage;
  customized: boolean;
  updatedAt: Date | null;
}

export async function listTemplates(db: Pick<Db, 'select'>, orgId: string): Promise<OrgTemplate[]> {
  const rows = await db.select().from(emailTemplates).where(eq(emailTemplates.orgId, orgId));
  const byStage = new Map(rows.map((r) => [r.stage, r]));
  return NOTIFY_STAGES.map((stage) => {
    const r = byStage.get(stage);
    return r
      ? { stage, subject: r.subject, body: r.body, customized: true, updatedAt: r.updatedAt }
      : { stage, ...DEFAULT_TEMPLATES[stage], customized: false, updatedAt: null };
  });
}

export async function templateFor(db: Pick<Db, 'select'>, orgId: string, stage: NotifyStage): Promise<EmailTemplate> {
  const [r] = await db
    .select({ subject: emailTemplates.subject, body: emailTemplates.body })
    .from(emailTemplates)
    .where(and(eq(emailTemplates.orgId, orgId), eq(emailTemplates.stage, stage)))
    .limit(1);
  return r ?? DEFAULT_TEMPLATES[stage];
}

export interface TemplateEditor {
  userId: string;
  orgId: string;
  role: MemberRole;
}

function requireEditor(actor: TemplateEditor) {
  if (!JOB_EDITORS.includes(actor.role)) throw forbidden('Only admins and hiring managers can change the candidate emails.');
}

export async function saveTemplate(
  db: Db,
  actor: TemplateEditor,
  raw: { org: string; stage: string; subject: string; body: string },
  opts: ClockOpts = {},
): Promise<void> {
  requireEditor(actor);
  const v = parseOrThrow(templateSchema, raw);
  const fields: Record<string, string[]> = {};
  const known = Object.keys(PLACEHOLDERS)
    .map((p) => `{{${p}}}`)
    .join(', ');
  for (const key of ['subject', 'body'] as const) {
    const bad = unknownPlaceholders(v[key]);
    if (bad.length) fields[key] = [`Unknown placeholder ${bad.map((b) => `{{${b}}}`).join(', ')}. Use only ${known}.`];
  }
  if (Object.keys(fields).length) throw invalid(Object.values(fields)[0]![0]!, fields);
  const now = opts.now ?? new Date();
  await db.transaction(async (tx) => {
    await tx
      .insert(emailTemplates)
      .values({ orgId: actor.orgId, stage: v.stage, subject: v.subject, body: v.body, updatedAt: now })
      .onConflictDoUpdate({
        target: [emailTemplates.orgId, emailTemplates.stage],
        set: { subject: v.subject, body: v.body, updatedAt: now },
      });
    await auditOrg(tx, actor, { action: 'email_template.updated', data: { stage: v.stage }, at: now });
  });
}

export async function resetTemplate(db: Db, actor: TemplateEditor, stage: NotifyStage): Promise<void> {
  requireEditor(actor);
  await db.transaction(async (tx) => {
    await tx.delete(emailTemplates).where(and(eq(emailTemplates.orgId, actor.orgId), eq(emailTemplates.stage, stage)));
    await auditOrg(tx, actor, { action: 'email_template.reset', data: { stage } });
  });
}
