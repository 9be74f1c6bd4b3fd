import { graphql } from '../../lib/graphql/generated';

export const NotificationsQuery = graphql(`
  query Notifications($first: Int) {
    notificationTargets {
      name
      type
      where
      lastError
      lastSentAt
    }
    notifications(first: $first) {
      id
      target
      event
      subject
      status
      attempts
      lastError
      createdAt
      sentAt
      nextAt
      run {
        id
      }
    }
  }
`);

export const SendTestNotificationMutation = graphql(`
  mutation SendTestNotification($target: String!) {
    sendTestNotification(target: $target) {
      id
      status
    }
  }
`);
