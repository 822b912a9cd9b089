import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { httpRoutes } from '../../../shared/resources';

/**
 * The README's route table (under "## Merchant API") is what a merchant reads first: it must list
 * every route the API serves, and no route it does not.
 */
const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');

/** The routes of the table's first column, e.g. `GET /v1/members/{phone}`. */
function documentedRoutes(markdown: string): string[] {
  const section = markdown.split(/^## Merchant API$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `((?:GET|POST|PUT|PATCH|DELETE) \/v1\/[^`]*)` \|/gm)].map(
    (match) => match[1] as string,
  );
}

describe("the README's route table", () => {
  const served = httpRoutes.map(({ method, path }) => `${method} ${path}`);

  it('lists every route the API serves, each once, and no other', () => {
    const listed = documentedRoutes(readme);
    expect(listed.filter((route, i) => listed.indexOf(route) !== i)).toEqual([]);
    expect({
      missing: served.filter((route) => !listed.includes(route)),
      notServed: listed.filter((route) => !served.includes(route)),
    }).toEqual({ missing: [], notServed: [] });
  });

  it('is read from the table rows only', () => {
    const markdown = [
      '## Merchant API',
      '| route | does |',
      '| `GET /v1/members` | lists |',
      'see `POST /v1/members` below',
      '## Tests',
      '| `GET /v1/elsewhere` | not the table |',
    ].join('\n');
    expect(documentedRoutes(markdown)).toEqual(['GET /v1/members']);
  });
});
