import type { ApplicationStage } from '#lib/domain/taxonomy';
import { optionValues } from '#lib/shared/options';

/**
 * The emails a candidate gets about an application, per organization: the
 * confirmation ('applied') and the stage changes a candidate should know about.
 * Screening moves stay quiet (internal); withdrawing is the candidate's own act.
 * Pure: defaults, placeholder checks and rendering. Storage is in templates.server.ts.
 */
export const NOTIFY_STAGE_LABELS = {
  applied: 'Application received (sent when a candidate applies)',
  interview: 'Moved to Interview',
  offer: 'Moved to Offer',
  hired: 'Moved to Hired',
  rejected: 'Rejected',
} as const satisfies Partial<Record<ApplicationStage, string>>;
export const NOTIFY_STAGES = optionValues(NOTIFY_STAGE_LABELS);
export type NotifyStage = (typeof NOTIFY_STAGES)[number];

export function isNotifyStage(s: string): s is NotifyStage {
  return (NOTIFY_STAGES as readonly string[]).includes(s);
}

export const PLACEHOLDERS = {
  candidateName: 'the candidate’s name',
  jobTitle: 'the job’s title',
  organization: 'your organization’s name',
  jobLocation: 'the job’s city and state',
  applicationUrl: 'the link to the application’s status page',
} as const;
export type Placeholder = keyof typeof PLACEHOLDERS;
export type TemplateVars = Record<Placeholder, string>;

export interface EmailTemplate {
  subject: string;
  body: string;
}

export const TEMPLATE_LIMITS = { subjectMax: 200, bodyMax: 5000 } as const;

export const DEFAULT_TEMPLATES: Record<NotifyStage, EmailTemplate> = {
  applied: {
    subject: 'We received your application for {{jobTitle}}',
    body: `Hi {{candidateName}},

Thank you for applying for {{jobTitle}} ({{jobLocation}}) at {{organization}}. Our hiring team will review your application and licensure.

You can follow your application, or withdraw it, here:
{{applicationUrl}}

{{organization}}`,
  },
  interview: {
    subject: 'Next step for {{jobTitle}}: an interview',
    body: `Hi {{candidateName}},

Good news: the hiring team at {{organization}} would like to interview you for {{jobTitle}}. Someone from the team will contact you to find a time.

Your application: {{applicationUrl}}

{{organization}}`,
  },
  offer: {
    subject: 'An offer for {{jobTitle}} at {{organization}}',
    body: `Hi {{candidateName}},

The hiring team at {{organization}} is preparing an offer for {{jobTitle}}. They will be in touch with the details.

Your application: {{applicationUrl}}

{{organization}}`,
  },
  hired: {
    subject: 'Welcome to {{organization}}',
    body: `Hi {{candidateName}},

Congratulations, and welcome to {{organization}} as {{jobTitle}}. The team will contact you about your first days.

{{organization}}`,
  },
  rejected: {
    subject: 'Your application for {{jobTitle}}',
    body: `Hi {{candidateName}},

Thank you for your interest in {{jobTitle}} at {{organization}}. After careful review, the hiring team has decided not to move forward with your application.

We wish you the best in your search.

{{organization}}`,
  },
};

const PLACEHOLDER_RE = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Placeholders used in a text that do not exist (each once, in order). */
export function unknownPlaceholders(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(PLACEHOLDER_RE)) {
    const name = m[1] ?? '';
    if (!(name in PLACEHOLDERS) && !out.includes(name)) out.push(name);
  }
  return out;
}

/** Fills placeholders. Plain text in, plain text out (emails are sent as text). Subjects lose line breaks. */
export function renderTemplate(t: EmailTemplate, vars: TemplateVars): EmailTemplate {
  const fill = (s: string) => s.replace(PLACEHOLDER_RE, (whole, name: string) => (name in vars ? vars[name as Placeholder] : whole));
  return {
    subject: fill(t.subject)
      .replace(/[\r\n]+/g, ' ')
      .trim(),
    body: fill(t.body),
  };
}
