import { graphql } from '../../lib/graphql/generated';
// ...RunSummary is defined in runs.documents.ts; codegen resolves fragments by name across documents

export const DashboardQuery = graphql(`
  query Dashboard {
    running: commandRuns(first: 20, status: RUNNING) {
      edges {
        node {
          ...RunSummary
        }
      }
    }
    recent: commandRuns(first: 10) {
      edges {
        node {
          ...RunSummary
        }
      }
    }
  }
`);
