import { graphql } from '../../lib/graphql/generated';

export const LogSourcesQuery = graphql(`
  query LogSources {
    logSources {
      name
      exists
      sizeBytes
      format
    }
  }
`);

export const LogTailSubscription = graphql(`
  subscription LogTail(
    $source: String!
    $backfill: Int
    $after: String
    $filter: String
    $where: String
    $since: DateTime
  ) {
    logTail(
      source: $source
      backfill: $backfill
      after: $after
      filter: $filter
      where: $where
      since: $since
    ) {
      cursor
      kind
      text
      truncated
      droppedCount
      level
      message
      fields {
        name
        value
      }
      file
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
    $where: String
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
      where: $where
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
      level
      message
      fields {
        name
        value
      }
      file
      time
    }
  }
`);
