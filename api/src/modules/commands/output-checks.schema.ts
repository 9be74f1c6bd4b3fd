// GraphQL for output checks: a command's failOn/successOn/extract patterns, and what they gave a run.
import { builder } from '../../builder.js';
import type { ExtractedValue } from './command-run.entity.js';
import { CommandRef, CommandRunRef } from './command.schema.js';

const RunResultValueRef = builder.objectRef<ExtractedValue>('RunResultValue').implement({
  description: "One value an `extract` pattern's named group captured from the run's output.",
  fields: (t) => ({
    key: t.exposeString('key', { description: 'The named group.' }),
    value: t.exposeString('value', { description: 'What it captured (last match wins).' }),
  }),
});

builder.objectFields(CommandRunRef, (t) => ({
  checkReason: t.string({
    nullable: true,
    description:
      'Why an output check failed the run ("failOn matched: <line>", "successOn: no line matched …"); null when none did.',
    resolve: (r) => r.checkReason,
  }),
  result: t.field({
    type: [RunResultValueRef],
    description: "The command's `extract` captures, in the order first seen; empty while it runs.",
    resolve: (r) => r.extracted ?? [],
  }),
}));

// shown to whoever may see the command: like its argv, the patterns are not secret
builder.objectFields(CommandRef, (t) => ({
  failOn: t.stringList({
    description: 'Log filter patterns: a matching output line fails a run that exited 0.',
    resolve: (c) => c.failOn,
  }),
  successOn: t.stringList({
    description: 'When given, a run that exited 0 fails unless one of these matched a line.',
    resolve: (c) => c.successOn,
  }),
  extract: t.stringList({
    description: "/regex/ patterns whose named groups become the run's `result`.",
    resolve: (c) => c.extract,
  }),
}));
