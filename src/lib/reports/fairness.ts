import { EEO_FIELDS, EEO_QUESTIONS, type EeoField } from '#lib/applications/schema';
import { reachedAtLeast, SELECTION_STEPS, selectionRates, type SelectionRow } from './figures';
import type { FairnessCounts } from './queries';

/** The fairness report's tables, from the aggregate counts (pure). */
export interface StepTable {
  step: (typeof SELECTION_STEPS)[number];
  rows: SelectionRow[];
}
export interface FieldTables {
  field: EeoField;
  label: string;
  steps: StepTable[];
}

export function groupLabel(field: EeoField, value: string): string {
  return (EEO_QUESTIONS[field].options as Record<string, string>)[value] ?? value;
}

/** Groups in the order the form offers them, so tables read the same every time. */
function orderedGroups(field: EeoField, present: readonly string[]): string[] {
  const order = Object.keys(EEO_QUESTIONS[field].options);
  return [...present].sort((a, b) => order.indexOf(a) - order.indexOf(b) || a.localeCompare(b));
}

export function stageTables(c: FairnessCounts): FieldTables[] {
  return EEO_FIELDS.map((field) => {
    const groups = orderedGroups(field, Object.keys(c.stages[field]));
    return {
      field,
      label: EEO_QUESTIONS[field].label,
      steps: SELECTION_STEPS.map((step) => ({
        step,
        rows: selectionRates(
          groups.map((g) => ({
            group: groupLabel(field, g),
            entered: reachedAtLeast(c.stages[field][g]!, step.from),
            selected: reachedAtLeast(c.stages[field][g]!, step.to),
          })),
        ),
      })),
    };
  });
}

export interface KnockoutTable {
  questionId: string;
  prompt: string;
  jobTitle: string;
  fields: { field: EeoField; label: string; rows: SelectionRow[] }[];
}

/** A knockout question "selects" the people it did not knock out, among those who answered it. */
export function knockoutTables(c: FairnessCounts): KnockoutTable[] {
  return c.knockouts.map((q) => ({
    questionId: q.questionId,
    prompt: q.prompt,
    jobTitle: q.jobTitle,
    fields: EEO_FIELDS.map((field) => ({
      field,
      label: EEO_QUESTIONS[field].label,
      rows: selectionRates(
        orderedGroups(field, Object.keys(q.groups[field])).map((g) => ({
          group: groupLabel(field, g),
          entered: q.groups[field][g]!.asked,
          selected: q.groups[field][g]!.asked - q.groups[field][g]!.failed,
        })),
      ),
    })).filter((f) => f.rows.length > 0),
  }));
}
