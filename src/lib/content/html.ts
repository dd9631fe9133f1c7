/**
 * Splits rendered content HTML after its first h2 section: interview guides put
 * their list of common questions right after the introduction ("the ones below
 * help you go further"). Returns [whole, ''] when there is only one section.
 */
export function splitAfterFirstSection(html: string): [string, string] {
  const first = html.indexOf('<h2');
  if (first === -1) return [html, ''];
  const second = html.indexOf('<h2', first + 3);
  if (second === -1) return [html, ''];
  return [html.slice(0, second), html.slice(second)];
}
