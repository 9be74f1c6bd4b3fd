import { graphql } from '../../lib/graphql/generated';

export const LogTriggersQuery = graphql(`
  query LogTriggers {
    logTriggers {
      name
      source
      pattern
      cooldownSeconds
      command
      args {
        name
        value
      }
      notify
      lastFiredAt
      firings(first: 5) {
        id
        at
        line
        error
        run {
          id
          status
        }
      }
    }
  }
`);
