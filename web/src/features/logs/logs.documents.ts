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
  subscription LogTail($source: String!, $backfill: Int, $after: String, $filter: String) {
    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter) {
      cursor
      kind
      text
      truncated
      droppedCount
      file
    }
  }
`);

export const LogLinesQuery = graphql(`
  query LogLines($source: String!, $last: Int, $before: String, $filter: String) {
    logLines(source: $source, last: $last, before: $before, filter: $filter) {
      cursor
      kind
      text
      truncated
      droppedCount
      file
    }
  }
`);
