import { graphql } from '../../lib/graphql/generated';

export const LogSourcesQuery = graphql(`
  query LogSources {
    logSources {
      name
      exists
      sizeBytes
    }
  }
`);

export const LogTailSubscription = graphql(`
  subscription LogTail(
    $source: String!
    $backfill: Int
    $after: String
    $filter: String
    $since: DateTime
  ) {
    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter, since: $since) {
      cursor
      kind
      text
      truncated
      droppedCount
      time
    }
  }
`);

export const LogLinesQuery = graphql(`
  query LogLines(
    $source: String!
    $last: Int
    $before: String
    $filter: String
    $first: Int
    $after: String
    $since: DateTime
    $until: DateTime
  ) {
    logLines(
      source: $source
      last: $last
      before: $before
      filter: $filter
      first: $first
      after: $after
      since: $since
      until: $until
    ) {
      cursor
      kind
      text
      truncated
      droppedCount
      time
    }
  }
`);
