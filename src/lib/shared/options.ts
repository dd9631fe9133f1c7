/**
 * A closed list of values declared once, with the label each shows as: the values are
 * the labels' keys in order, so a value cannot be added without its label. The result
 * is a non-empty tuple, what `z.enum` takes.
 */
export function optionValues<const L extends Record<string, string>>(labels: L): [keyof L & string, ...(keyof L & string)[]] {
  return Object.keys(labels) as [keyof L & string, ...(keyof L & string)[]];
}
