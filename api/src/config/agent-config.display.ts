// How a command is shown in the UI: its group, icon and whether running it asks first.
// Bounded and plain: an icon is a built-in name or one emoji, never a URL or markup.
import { z } from 'zod';

/** Names the web UI draws as inline SVGs (web/src/features/commands/command.icons.ts). */
export const COMMAND_ICONS = [
  'terminal',
  'disk',
  'memory',
  'cpu',
  'clock',
  'network',
  'globe',
  'file',
  'folder',
  'log',
  'restart',
  'power',
  'trash',
  'download',
  'upload',
  'database',
  'shield',
  'search',
  'package',
  'play',
  'user',
] as const;

const MAX_GROUP_LENGTH = 40;
const MAX_CONFIRM_LENGTH = 200;
const MAX_EMOJI_LENGTH = 16; // code units: a flag or a family sequence fits, a sentence does not
// control characters, bidi overrides and other invisible format characters
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/u;
const EMOJI_PARTS =
  /^(?:\p{Extended_Pictographic}|\p{Emoji_Modifier}|\p{Regional_Indicator}|\u200D|\uFE0F)+$/u;
const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** One line of visible text, trimmed, at most `max` characters. */
const label = (max: number) =>
  z
    .string()
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((s) => !INVISIBLE.test(s), 'must be plain text on one line');

export const groupSchema = label(MAX_GROUP_LENGTH);

/** `true` asks with a standard message; a string asks with that message. */
export const confirmSchema = z
  .union([z.boolean(), label(MAX_CONFIRM_LENGTH)], {
    error: `must be true, false or a message of at most ${MAX_CONFIRM_LENGTH} characters`,
  })
  .default(false);

const iconRule = `must be one emoji or one of: ${COMMAND_ICONS.join(', ')}`;
export const iconSchema = z
  .string({ error: iconRule })
  .refine(
    (s) =>
      (COMMAND_ICONS as readonly string[]).includes(s) ||
      (s.length <= MAX_EMOJI_LENGTH &&
        EMOJI_PARTS.test(s) &&
        [...graphemes.segment(s)].length === 1),
    iconRule,
  );
