import { graphql } from '../../lib/graphql/generated';

// The run's windows in its watched logs (agent.yaml `watchLogs:`), with the lines inside each.
export const RunLogWindowsQuery = graphql(`
  query RunLogWindows($id: ID!, $first: Int) {
    commandRun(id: $id) {
      id
      watchedLogs {
        source
        readable
        from
        to
        since
        until
        lines(first: $first) {
          cursor
          text
        }
      }
    }
  }
`);

// while the run goes on: the window's lines so far (after `from`), then live ones
export const RunLogTailSubscription = graphql(`
  subscription RunLogTail($source: String!, $after: String, $since: DateTime) {
    logTail(source: $source, after: $after, since: $since) {
      cursor
      kind
      text
    }
  }
`);
