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
  ) {
    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter, where: $where) {
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
    }
  }
`);

export const LogLinesQuery = graphql(`
  query LogLines($source: String!, $last: Int, $before: String, $filter: String, $where: String) {
    logLines(source: $source, last: $last, before: $before, filter: $filter, where: $where) {
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
    }
  }
`);
