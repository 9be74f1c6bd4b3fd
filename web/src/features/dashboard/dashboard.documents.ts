import { graphql } from '../../lib/graphql/generated';

export const DashboardQuery = graphql(`
  query Dashboard {
    running: commandRuns(first: 50, status: RUNNING) {
      edges { node { ...RunSummary } }
    }
    recent: commandRuns(first: 10) {
      edges { node { ...RunSummary } }
    }
  }
`);
