import { graphql } from '../../lib/graphql/generated';

export const HooksQuery = graphql(`
  query Hooks {
    hooks {
      name
      command
      style
      secretEnv
      perMinute
      url
      args {
        name
        field
      }
      recent(first: 5) {
        receivedAt
        run {
          id
          status
        }
      }
    }
  }
`);
