import { graphql } from '../../lib/graphql/generated';

// fields spelled out, not ...RunSummary: see runs.documents.ts
export const DashboardQuery = graphql(`
  query Dashboard {
    running: commandRuns(first: 20, status: RUNNING) {
      edges {
        node {
          id commandName argv status exitCode signal startedAt finishedAt
          startedBy { id username }
          outputBytes outputTruncated
        }
      }
    }
    recent: commandRuns(first: 10) {
      edges {
        node {
          id commandName argv status exitCode signal startedAt finishedAt
          startedBy { id username }
          outputBytes outputTruncated
        }
      }
    }
  }
`);
