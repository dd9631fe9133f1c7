/** Part of a list a page shows under its own heading (a candidate's open and closed applications). */
interface ListGroup<T> {
  /** The heading's id, which its section is labelled by. */
  id: string;
  title: string;
  items: readonly T[];
}

/**
 * The groups worth a heading, in order: an empty group is left out rather than shown empty,
 * and each heading counts its items ("Closed (3)").
 */
export function countedGroups<T>(groups: readonly ListGroup<T>[]): (ListGroup<T> & { heading: string })[] {
  return groups.filter((g) => g.items.length > 0).map((g) => ({ ...g, heading: `${g.title} (${g.items.length})` }));
}
