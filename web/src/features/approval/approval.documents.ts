import { graphql } from '../../lib/graphql/generated';

export const PendingApprovalsQuery = graphql(`
  query PendingApprovals {
    pendingApprovals {
      id
      commandName
    }
  }
`);

export const RunApprovalFields = graphql(`
  fragment RunApprovalFields on CommandRun {
    id
    commandName
    approval {
      expiresAt
      approvedBy {
        username
      }
      approvedAt
      rejectedBy {
        username
      }
      rejectedAt
      reason
    }
  }
`);

export const RunApprovalQuery = graphql(`
  query RunApproval($id: ID!) {
    commandRun(id: $id) {
      ...RunApprovalFields
    }
    commands {
      name
      approval {
        approvers
      }
    }
    pendingApprovals {
      id
    }
    me {
      id
      role
    }
  }
`);

export const ApproveRunMutation = graphql(`
  mutation ApproveRun($id: ID!) {
    approveCommandRun(id: $id) {
      ...RunSummary
      ...RunApprovalFields
    }
  }
`);

export const RejectRunMutation = graphql(`
  mutation RejectRun($id: ID!, $reason: String) {
    rejectCommandRun(id: $id, reason: $reason) {
      ...RunSummary
      ...RunApprovalFields
    }
  }
`);
