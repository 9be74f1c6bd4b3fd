import { graphql } from '../../lib/graphql/generated';

// Connection queries spell the fields out instead of spreading ...RunSummary: the server's
// depth limit counts a fragment spread as two levels. The shapes stay identical, so the
// generated types are interchangeable with RunSummaryFragment.
export const RunSummaryFragment = graphql(`
  fragment RunSummary on CommandRun {
    id commandName argv status exitCode signal startedAt finishedAt
    startedBy { id username }
    outputBytes outputTruncated
  }
`);

export const CommandRunQuery = graphql(`
  query CommandRun($id: ID!) {
    commandRun(id: $id) { ...RunSummary }
  }
`);

export const CommandRunsQuery = graphql(`
  query CommandRuns($first: Int, $after: String, $command: String, $status: RunStatus) {
    commandRuns(first: $first, after: $after, command: $command, status: $status) {
      edges {
        cursor
        node {
          id commandName argv status exitCode signal startedAt finishedAt
          startedBy { id username }
          outputBytes outputTruncated
        }
      }
      pageInfo { hasNextPage endCursor }
    }
  }
`);

export const CommandOutputSubscription = graphql(`
  subscription CommandOutput($runId: ID!, $afterSeq: Int) {
    commandOutput(runId: $runId, afterSeq: $afterSeq) { seq stream data at }
  }
`);

export const RunUpdatedSubscription = graphql(`
  subscription RunUpdated {
    commandRunUpdated { ...RunSummary }
  }
`);

export const CancelRunMutation = graphql(`
  mutation CancelRun($id: ID!) {
    cancelCommandRun(id: $id) { ...RunSummary }
  }
`);
