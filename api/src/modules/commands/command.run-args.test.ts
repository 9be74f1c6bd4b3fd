// CommandRun.args: the arguments a run was started with, as given, for "Run again".
import { describe, expect, it } from 'vitest';
import { serverForFile } from '../../test/harness.js';

const f = serverForFile(`
commands:
  - name: greet
    title: Greet
    argv: ["echo", "{{who}}", "{{times}}", "{{loud}}"]
    args:
      - { name: who, type: string, maxLength: 40 }
      - { name: times, type: int, min: 1, max: 9, default: "1" }
      - { name: loud, type: boolean, default: "false" }
    roles: [admin, user]
    # runs follow one another here faster than echo ends: the test is not about concurrency
    maxConcurrent: 5
logs: []
`);

const RUN = `mutation($args: [CommandArgInput!]) { runCommand(name: "greet", args: $args) { id args { name value } } }`;
const READ = `query($id: ID!) { commandRun(id: $id) { argv args { name value } } }`;

describe('a run keeps its arguments', () => {
  it('answers them as given, in the order given; defaults are not repeated', async () => {
    const given = [
      { name: 'loud', value: 'true' },
      { name: 'who', value: "it's me; $(rm -rf /)" },
    ];
    const r = await f.s.gql(RUN, { args: given }, f.admin);
    expect(r.errors).toBeUndefined();
    expect(r.data.runCommand.args).toEqual(given);
    const read = await f.s.gql(READ, { id: r.data.runCommand.id }, f.admin);
    expect(read.data.commandRun.args).toEqual(given);
    expect(read.data.commandRun.argv).toEqual(['echo', "it's me; $(rm -rf /)", '1', 'true']);

    const one = await f.s.gql(RUN, { args: [{ name: 'who', value: 'x' }] }, f.admin);
    expect(one.errors).toBeUndefined();
    expect(one.data.runCommand.args).toEqual([{ name: 'who', value: 'x' }]);
  });

  it('a refused run keeps nothing, and another user sees no run at all', async () => {
    const refused = await f.s.gql(RUN, { args: [{ name: 'times', value: '99' }] }, f.admin);
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');

    const alice = await f.s.createUser('alice');
    const bob = await f.s.createUser('bob');
    const mine = await f.s.gql(RUN, { args: [{ name: 'who', value: 'alice' }] }, alice);
    const other = await f.s.gql(READ, { id: mine.data.runCommand.id }, bob);
    expect(other.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(other.data?.commandRun ?? null).toBeNull();
  });
});
