import { graphql } from '../../lib/graphql/generated';

export const LogTailMergedSubscription = graphql(`
  subscription LogTailMerged(
    $sources: [String!]!
    $backfill: Int
    $filter: String
    $after: [LogSourceCursor!]
  ) {
    logTailMerged(sources: $sources, backfill: $backfill, filter: $filter, after: $after) {
      source
      cursor
      kind
      text
      truncated
      droppedCount
      time
    }
  }
`);
