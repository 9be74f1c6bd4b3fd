import { graphql } from '../../lib/graphql/generated';

export const SchedulesQuery = graphql(`
  query Schedules {
    schedules {
      id
      command
      cron
      timezone
      overlap
      catchUp
      args {
        name
        value
      }
      nextRuns(first: 3)
      recent(first: 5) {
        dueAt
        outcome
        detail
        run {
          id
          status
        }
      }
    }
  }
`);

export const CommandNextRunsQuery = graphql(`
  query CommandNextRuns {
    schedules {
      id
      command
      cron
      timezone
      nextRuns(first: 3)
    }
  }
`);
