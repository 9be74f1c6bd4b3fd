// The server accepts exactly the icon names the web UI can draw.
import { expect, it } from 'vitest';
import { COMMAND_ICONS } from '../api/src/config/agent-config.display.js';
import { ICON_PATHS } from '../web/src/features/commands/command.icons.js';

it('agent.yaml icon names and the web UI icons are the same set', () => {
  expect(Object.keys(ICON_PATHS).sort()).toEqual([...COMMAND_ICONS].sort());
});
