import { graphql } from '../../lib/graphql/generated';

export const AuditEventsQuery = graphql(`
  query AuditEvents(
    $first: Int
    $after: String
    $action: AuditAction
    $actor: ID
    $since: DateTime
    $until: DateTime
  ) {
    auditEvents(
      first: $first
      after: $after
      action: $action
      actor: $actor
      since: $since
      until: $until
    ) {
      edges {
        cursor
        node {
          id
          at
          action
          actor {
            id
            username
          }
          actorName
          ip
          target
          detail
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);
