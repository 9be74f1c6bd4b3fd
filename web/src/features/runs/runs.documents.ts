import { graphql } from '../../lib/graphql/generated';

export const RunSummaryFragment = graphql(`
  fragment RunSummary on CommandRun {
    id
    commandName
    argv
    status
    exitCode
    signal
    startedAt
    finishedAt
    startedBy {
      id
      username
    }
    trigger
    triggerName
    outputBytes
    outputTruncated
    outputRemovedAt
    ...RunChecks
  }
`);

/** What output checks (failOn/successOn/extract) said of a run: RunChecks.svelte */
export const RunChecksFragment = graphql(`
  fragment RunChecks on CommandRun {
    checkReason
    result {
      key
      value
    }
  }
`);

export const CommandRunQuery = graphql(`
  query CommandRun($id: ID!) {
    commandRun(id: $id) {
      ...RunSummary
      args {
        name
        value
      }
    }
  }
`);

export const CommandRunsQuery = graphql(`
  query CommandRuns(
    $first: Int
    $after: String
    $command: String
    $status: RunStatus
    $trigger: RunTrigger
    $startedBy: ID
    $since: DateTime
    $until: DateTime
  ) {
    commandRuns(
      first: $first
      after: $after
      command: $command
      status: $status
      trigger: $trigger
      startedBy: $startedBy
      since: $since
      until: $until
    ) {
      edges {
        cursor
        node {
          ...RunSummary
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const CommandOutputSubscription = graphql(`
  subscription CommandOutput($runId: ID!, $afterSeq: Int) {
    commandOutput(runId: $runId, afterSeq: $afterSeq) {
      seq
      fromSeq
      stream
      data
      at
    }
  }
`);

export const RunUpdatedSubscription = graphql(`
  subscription RunUpdated {
    commandRunUpdated {
      ...RunSummary
    }
  }
`);

export const CancelRunMutation = graphql(`
  mutation CancelRun($id: ID!) {
    cancelCommandRun(id: $id) {
      ...RunSummary
    }
  }
`);
