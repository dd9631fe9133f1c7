import { APPLICATION_STAGES, type ApplicationStage } from '#lib/domain/taxonomy';
import type { PipelineCard } from './pipeline';
import { STAGE_LABELS, TEAM_TARGET_STAGES } from './stages';

/**
 * The pipeline page's view of a job's applicants (pure, unit-tested): the board's
 * columns in stage order, the table's sorting and pages, and the notice after a move.
 */
export const TABLE_SORTS = { newest: 'Newest first', name: 'Name', stage: 'Stage', rating: 'Team rating' } as const;
export type TableSort = keyof typeof TABLE_SORTS;
export const TABLE_PAGE_SIZE = 50;

export function parseTableSort(v: string | null): TableSort {
  return v && v in TABLE_SORTS ? (v as TableSort) : 'newest';
}

const stageRank = (s: ApplicationStage) => APPLICATION_STAGES.indexOf(s);

export function sortCards(cards: readonly PipelineCard[], sort: TableSort): PipelineCard[] {
  const newest = (a: PipelineCard, b: PipelineCard) => b.createdAt.getTime() - a.createdAt.getTime();
  return [...cards].sort((a, b) =>
    sort === 'name'
      ? a.candidateName.localeCompare(b.candidateName)
      : sort === 'stage'
        ? stageRank(a.stage) - stageRank(b.stage) || newest(a, b)
        : sort === 'rating'
          ? (b.avgRating ?? -1) - (a.avgRating ?? -1)
          : newest(a, b),
  );
}

/** One page of rows, the page number clamped into range. */
export function tablePage<T>(rows: readonly T[], requested: number): { rows: T[]; page: number; pages: number } {
  const pages = Math.max(1, Math.ceil(rows.length / TABLE_PAGE_SIZE));
  const page = Math.min(pages, Math.max(1, Number.isFinite(requested) ? Math.trunc(requested) : 1));
  return { rows: rows.slice((page - 1) * TABLE_PAGE_SIZE, page * TABLE_PAGE_SIZE), page, pages };
}

/** Every stage a card can be in, in the pipeline's order, with its cards. */
export function boardColumns(cards: readonly PipelineCard[]): { stage: ApplicationStage; cards: PipelineCard[] }[] {
  return APPLICATION_STAGES.map((stage) => ({ stage, cards: cards.filter((c) => c.stage === stage) }));
}

/** Stages a card on the board can be moved to with its own form (rejecting asks for a reason elsewhere). */
export const BOARD_TARGETS = TEAM_TARGET_STAGES.filter((s) => s !== 'rejected');

/** The sentence shown after a move (post/redirect/get), from the notice in the URL. */
export function moveNotice(sp: URLSearchParams): string | null {
  const to = sp.get('to') ?? 'applied';
  const stage = STAGE_LABELS[to as ApplicationStage] ?? to;
  if (sp.get('notice') === 'moved') return `${sp.get('who') ?? 'The applicant'} moved to ${stage}.`;
  if (sp.get('notice') === 'bulk') {
    const n = sp.get('n') ?? '0';
    return `${n} applicant${n === '1' ? '' : 's'} moved to ${stage}.`;
  }
  return null;
}
