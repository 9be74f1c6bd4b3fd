import { graphql } from '../../lib/graphql/generated';

export const UserFieldsFragment = graphql(`
  fragment UserFields on User {
    id
    username
    role
    disabled
    createdAt
    lastLoginAt
  }
`);

export const UsersQuery = graphql(`
  query Users {
    users {
      ...UserFields
    }
  }
`);

export const CreateUserMutation = graphql(`
  mutation CreateUser($username: String!, $password: String!, $role: Role!) {
    createUser(username: $username, password: $password, role: $role) {
      ...UserFields
    }
  }
`);

export const UpdateUserMutation = graphql(`
  mutation UpdateUser($id: ID!, $role: Role, $disabled: Boolean, $password: String) {
    updateUser(id: $id, role: $role, disabled: $disabled, password: $password) {
      ...UserFields
    }
  }
`);

export const DeleteUserMutation = graphql(`
  mutation DeleteUser($id: ID!) {
    deleteUser(id: $id)
  }
`);

export const EndUserSessionsMutation = graphql(`
  mutation EndUserSessions($id: ID!) {
    endUserSessions(id: $id)
  }
`);
