// "Run again": a run's arguments travel to the command form in its URL (`?arg.<name>=<value>`),
// so the prefilled form survives a reload and can be bookmarked or shared.
const PREFIX = 'arg.';

/** The command form's address, prefilled with these arguments. */
export function runAgainHref(
  commandName: string,
  args: readonly { name: string; value: string }[],
): string {
  const query = new URLSearchParams(args.map((a) => [PREFIX + a.name, a.value])).toString();
  return `/commands/${encodeURIComponent(commandName)}${query ? `?${query}` : ''}`;
}

/** The values a form URL carries for the command's declared arguments; anything else is ignored. */
export function prefilledValues(
  declared: readonly { name: string }[],
  search: string,
): Record<string, string> {
  const params = new URLSearchParams(search);
  const values: Record<string, string> = {};
  for (const { name } of declared) {
    const value = params.get(PREFIX + name);
    if (value !== null) values[name] = value;
  }
  return values;
}
