// The schedules of agent.yaml as the scheduler and GraphQL read them: each with its command's name.
import type { AgentConfig, CommandSpec, ScheduleSpec } from '../../config/agent-config.types.js';

export interface ScheduleView extends ScheduleSpec {
  command: string;
}

export const schedulesOf = (commands: readonly CommandSpec[]): ScheduleView[] =>
  commands.flatMap((c) => c.schedules.map((s) => ({ ...s, command: c.name })));

/** The schedule as the file says now; undefined once an edit removed it. */
export const findSchedule = (config: AgentConfig, id: string): ScheduleView | undefined =>
  schedulesOf(config.commands).find((s) => s.id === id);
