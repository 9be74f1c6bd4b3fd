import { graphql } from '../../lib/graphql/generated';

export const CommandsQuery = graphql(`
  query Commands {
    commands {
      name
      title
      description
      group
      icon
      confirm
      confirmMessage
      timeoutSeconds
      maxConcurrent
      running
      args {
        name
        type
        required
        description
        default
        choices
        pattern
        min
        max
      }
    }
  }
`);

// the status colour on each card: the newest of the viewer's recent runs of that command
export const RecentRunsQuery = graphql(`
  query RecentRuns {
    commandRuns(first: 100) {
      edges {
        node {
          id
          commandName
          status
          startedAt
        }
      }
    }
  }
`);

export const RunCommandMutation = graphql(`
  mutation RunCommand($name: String!, $args: [CommandArgInput!]) {
    runCommand(name: $name, args: $args) {
      id
    }
  }
`);
