import type { GuideData } from '#lib/content/schemas';

/**
 * Where a job's interview kit comes from: the site's interview-prep guide for the job's role.
 * The guide's `competencies` become the kit's competencies and its common questions (each
 * tagged with the competency it assesses) become the suggested questions, so what a candidate
 * practises on /guides/… is what the panel scores. Pure: the Astro edge (guides.ts) hands in
 * the collection, tests hand in the parsed Markdown files.
 */
export interface KitCompetencyDraft {
  name: string;
  description: string;
  questions: string[];
}
export interface KitSource {
  /** The guide the kit came from; null when no interview guide serves the role. */
  guideSlug: string | null;
  competencies: KitCompetencyDraft[];
}
export type KitSourceLoader = (role: string) => Promise<KitSource>;

interface GuideLike {
  id: string;
  data: Pick<GuideData, 'kind' | 'roles' | 'competencies' | 'faq'>;
}

/** The interview guide that serves a role (guides list the roles they prepare for). */
export function interviewGuideFor<G extends GuideLike>(role: string, guides: readonly G[]): G | undefined {
  return guides.find((g) => g.data.kind === 'interview' && (g.data.roles as readonly string[]).includes(role));
}

export function kitFromGuide(guide: GuideLike): KitSource {
  const faq = guide.data.faq ?? [];
  return {
    guideSlug: guide.id,
    competencies: (guide.data.competencies ?? []).map((c) => ({
      name: c.name,
      description: c.summary,
      questions: faq.filter((q) => q.competency === c.name).map((q) => q.question),
    })),
  };
}

/** The kit a job of `role` starts with: from its guide, or empty (the team adds competencies) when there is none. */
export function kitSourceFor(role: string, guides: readonly GuideLike[]): KitSource {
  const guide = interviewGuideFor(role, guides);
  return guide ? kitFromGuide(guide) : { guideSlug: null, competencies: [] };
}
