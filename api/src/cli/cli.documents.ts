import { graphql } from './generated/index.js';

// The operations of the `tiny-agent` CLI, typed by codegen from schema/schema.graphql.

export const CliLogin = graphql(`
  mutation CliLogin($username: String!, $password: String!) {
    login(username: $username, password: $password) {
      token
      user {
        username
        role
      }
    }
  }
`);

export const CliLogout = graphql(`
  mutation CliLogout {
    logout
  }
`);

export const CliCreateToken = graphql(`
  mutation CliCreateToken($name: String!, $expiresInDays: Int) {
    createApiToken(name: $name, expiresInDays: $expiresInDays) {
      secret
      apiToken {
        id
        name
        expiresAt
      }
    }
  }
`);

export const CliCommands = graphql(`
  query CliCommands {
    commands {
      name
      title
      description
      group
      timeoutSeconds
      maxConcurrent
      running
      args {
        name
        type
        required
        description
        default
        choices
        pattern
        min
        max
      }
    }
  }
`);

export const CliRuns = graphql(`
  query CliRuns($first: Int, $command: String, $status: RunStatus) {
    commandRuns(first: $first, command: $command, status: $status) {
      edges {
        node {
          ...CliRunFields
        }
      }
    }
  }
`);

export const CliRunFields = graphql(`
  fragment CliRunFields on CommandRun {
    id
    commandName
    status
    exitCode
    signal
    error
    trigger
    triggerName
    startedAt
    finishedAt
    outputBytes
    startedBy {
      username
    }
  }
`);

export const CliRunCommand = graphql(`
  mutation CliRunCommand($name: String!, $args: [CommandArgInput!]) {
    runCommand(name: $name, args: $args) {
      id
      status
    }
  }
`);

export const CliRunEnd = graphql(`
  query CliRunEnd($id: ID!) {
    commandRun(id: $id) {
      ...CliRunFields
    }
  }
`);

export const CliCommandOutput = graphql(`
  subscription CliCommandOutput($runId: ID!, $afterSeq: Int) {
    commandOutput(runId: $runId, afterSeq: $afterSeq) {
      seq
      stream
      data
    }
  }
`);

export const CliLogLines = graphql(`
  query CliLogLines($source: String!, $last: Int, $filter: String) {
    logLines(source: $source, last: $last, filter: $filter) {
      cursor
      kind
      text
      droppedCount
    }
  }
`);

export const CliLogTail = graphql(`
  subscription CliLogTail($source: String!, $backfill: Int, $after: String, $filter: String) {
    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter) {
      cursor
      kind
      text
      droppedCount
    }
  }
`);

export const CliUpload = graphql(`
  mutation CliUpload($file: Upload!) {
    uploadFile(file: $file) {
      id
      name
      size
      mimeType
      sha256
      downloadUrl
    }
  }
`);
