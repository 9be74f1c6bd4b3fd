// Shared streams execute each event with graphql-jit: it must answer exactly as graphql-js does.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../test/harness.js';

let s: TestServer;
let admin: { token: string };

// text that would break generated code if it were pasted into it rather than passed as data
const NASTY = 'say "hi" \\ it\'s `${process.exit(1)}` */ </script>';

// aliases, __typename, a fragment, @include/@skip on variables, a field twice under two names
const FIELDS = `{
  __typename
  at: cursor
  kind
  ...Body
  again: text
  truncated @include(if: $more)
  droppedCount @skip(if: $more)
}`;
const FRAGMENT = 'fragment Body on LogLine { text kind }';

beforeAll(async () => {
  s = await startServer(
    {},
    { agentYaml: 'commands: []\nlogs:\n  - { name: app, path: app.log, roles: [admin] }\n' },
  );
  writeFileSync(
    path.join(s.dir, 'app.log'),
    ['first', `one ${NASTY}`, 'two', `three ${NASTY}`, ''].join('\n'),
  );
  admin = await s.login();
});
afterAll(() => s.stop());

describe('shared stream events', () => {
  for (const more of [true, false]) {
    it(`answer as graphql-js does for the same selection (more: ${more}), over WebSocket and SSE`, async () => {
      const vars = { s: 'app', f: NASTY, more };
      const query = await s.gql(
        `query($s: String!, $f: String, $more: Boolean!) { logLines(source: $s, filter: $f) ${FIELDS} } ${FRAGMENT}`,
        vars,
        admin,
      );
      expect(query.errors).toBeUndefined();
      const expected = query.data.logLines as Record<string, unknown>[];
      expect(expected.map((l) => l.again)).toEqual([`one ${NASTY}`, `three ${NASTY}`]);
      expect(Object.keys(expected[0]!)).toEqual([
        '__typename',
        'at',
        'kind',
        'text',
        'again',
        more ? 'truncated' : 'droppedCount',
      ]);

      const doc = `subscription($s: String!, $f: String, $more: Boolean!) { logTail(source: $s, filter: $f, backfill: 10) ${FIELDS} } ${FRAGMENT}`;
      // the filter also written into the document itself, as a string literal
      const inline = doc
        .replace(', $f: String', '')
        .replace('filter: $f', `filter: ${JSON.stringify(NASTY)}`);
      expect(inline).not.toContain('$f');
      const streams = [
        s.subscribeWs(doc, vars, admin),
        s.subscribeSse(doc, vars, admin),
        s.subscribeWs(inline, { s: 'app', more }, admin),
      ];
      for (const stream of streams) {
        await stream.waitFor(2);
        stream.stop();
        expect(stream.events.map((e) => e.errors)).toEqual([undefined, undefined]);
        // same keys in the same order, same values: the JSON a client receives is identical
        expect(JSON.stringify(stream.events.map((e) => e.data.logTail))).toBe(
          JSON.stringify(expected),
        );
      }
    });
  }
});
