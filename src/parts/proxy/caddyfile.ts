/**
 * A Caddy site in front of n8n, as data: a scenario states its fault as a change to this
 * structure, and the Caddyfile is rendered from it.
 */
export interface CaddySite {
  /** `header_up` lines: [name, value]; a name starting with "-" removes the header. */
  headerUp?: Array<[string, string?]>;
  upstream?: string;
}

export function renderCaddyfile(site: CaddySite = {}): string {
  const headerUp = (site.headerUp ?? []).map(([name, value]) => `\t\theader_up ${name}${value === undefined ? '' : ` ${JSON.stringify(value)}`}`);
  const proxy = headerUp.length
    ? `\treverse_proxy ${site.upstream ?? 'n8n:5678'} {\n${headerUp.join('\n')}\n\t}`
    : `\treverse_proxy ${site.upstream ?? 'n8n:5678'}`;
  return `{\n\tauto_https off\n}\n\n:80 {\n${proxy}\n}\n`;
}
