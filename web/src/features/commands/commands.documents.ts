import { graphql } from '../../lib/graphql/generated';

export const CommandsQuery = graphql(`
  query Commands {
    commands {
      name
      title
      description
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

export const RunCommandMutation = graphql(`
  mutation RunCommand($name: String!, $args: [CommandArgInput!]) {
    runCommand(name: $name, args: $args) {
      id
    }
  }
`);
