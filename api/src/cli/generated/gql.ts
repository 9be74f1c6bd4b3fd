/* eslint-disable */
import * as types from './graphql.js';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation CliLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      user {\n        username\n        role\n      }\n    }\n  }\n": typeof types.CliLoginDocument,
    "\n  mutation CliLogout {\n    logout\n  }\n": typeof types.CliLogoutDocument,
    "\n  mutation CliCreateToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      secret\n      apiToken {\n        id\n        name\n        expiresAt\n      }\n    }\n  }\n": typeof types.CliCreateTokenDocument,
    "\n  query CliCommands {\n    commands {\n      name\n      title\n      description\n      group\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n": typeof types.CliCommandsDocument,
    "\n  query CliRuns($first: Int, $command: String, $status: RunStatus) {\n    commandRuns(first: $first, command: $command, status: $status) {\n      edges {\n        node {\n          ...CliRunFields\n        }\n      }\n    }\n  }\n": typeof types.CliRunsDocument,
    "\n  fragment CliRunFields on CommandRun {\n    id\n    commandName\n    status\n    exitCode\n    signal\n    error\n    trigger\n    triggerName\n    startedAt\n    finishedAt\n    outputBytes\n    startedBy {\n      username\n    }\n  }\n": typeof types.CliRunFieldsFragmentDoc,
    "\n  mutation CliRunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n      status\n    }\n  }\n": typeof types.CliRunCommandDocument,
    "\n  query CliRunEnd($id: ID!) {\n    commandRun(id: $id) {\n      ...CliRunFields\n    }\n  }\n": typeof types.CliRunEndDocument,
    "\n  subscription CliCommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      stream\n      data\n    }\n  }\n": typeof types.CliCommandOutputDocument,
    "\n  query CliLogLines($source: String!, $last: Int, $filter: String) {\n    logLines(source: $source, last: $last, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n": typeof types.CliLogLinesDocument,
    "\n  subscription CliLogTail($source: String!, $backfill: Int, $after: String, $filter: String) {\n    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n": typeof types.CliLogTailDocument,
    "\n  mutation CliUpload($file: Upload!) {\n    uploadFile(file: $file) {\n      id\n      name\n      size\n      mimeType\n      sha256\n      downloadUrl\n    }\n  }\n": typeof types.CliUploadDocument,
};
const documents: Documents = {
    "\n  mutation CliLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      user {\n        username\n        role\n      }\n    }\n  }\n": types.CliLoginDocument,
    "\n  mutation CliLogout {\n    logout\n  }\n": types.CliLogoutDocument,
    "\n  mutation CliCreateToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      secret\n      apiToken {\n        id\n        name\n        expiresAt\n      }\n    }\n  }\n": types.CliCreateTokenDocument,
    "\n  query CliCommands {\n    commands {\n      name\n      title\n      description\n      group\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n": types.CliCommandsDocument,
    "\n  query CliRuns($first: Int, $command: String, $status: RunStatus) {\n    commandRuns(first: $first, command: $command, status: $status) {\n      edges {\n        node {\n          ...CliRunFields\n        }\n      }\n    }\n  }\n": types.CliRunsDocument,
    "\n  fragment CliRunFields on CommandRun {\n    id\n    commandName\n    status\n    exitCode\n    signal\n    error\n    trigger\n    triggerName\n    startedAt\n    finishedAt\n    outputBytes\n    startedBy {\n      username\n    }\n  }\n": types.CliRunFieldsFragmentDoc,
    "\n  mutation CliRunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n      status\n    }\n  }\n": types.CliRunCommandDocument,
    "\n  query CliRunEnd($id: ID!) {\n    commandRun(id: $id) {\n      ...CliRunFields\n    }\n  }\n": types.CliRunEndDocument,
    "\n  subscription CliCommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      stream\n      data\n    }\n  }\n": types.CliCommandOutputDocument,
    "\n  query CliLogLines($source: String!, $last: Int, $filter: String) {\n    logLines(source: $source, last: $last, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n": types.CliLogLinesDocument,
    "\n  subscription CliLogTail($source: String!, $backfill: Int, $after: String, $filter: String) {\n    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n": types.CliLogTailDocument,
    "\n  mutation CliUpload($file: Upload!) {\n    uploadFile(file: $file) {\n      id\n      name\n      size\n      mimeType\n      sha256\n      downloadUrl\n    }\n  }\n": types.CliUploadDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      user {\n        username\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CliLogin($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      token\n      user {\n        username\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliLogout {\n    logout\n  }\n"): (typeof documents)["\n  mutation CliLogout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliCreateToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      secret\n      apiToken {\n        id\n        name\n        expiresAt\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CliCreateToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      secret\n      apiToken {\n        id\n        name\n        expiresAt\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliCommands {\n    commands {\n      name\n      title\n      description\n      group\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliCommands {\n    commands {\n      name\n      title\n      description\n      group\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliRuns($first: Int, $command: String, $status: RunStatus) {\n    commandRuns(first: $first, command: $command, status: $status) {\n      edges {\n        node {\n          ...CliRunFields\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query CliRuns($first: Int, $command: String, $status: RunStatus) {\n    commandRuns(first: $first, command: $command, status: $status) {\n      edges {\n        node {\n          ...CliRunFields\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CliRunFields on CommandRun {\n    id\n    commandName\n    status\n    exitCode\n    signal\n    error\n    trigger\n    triggerName\n    startedAt\n    finishedAt\n    outputBytes\n    startedBy {\n      username\n    }\n  }\n"): (typeof documents)["\n  fragment CliRunFields on CommandRun {\n    id\n    commandName\n    status\n    exitCode\n    signal\n    error\n    trigger\n    triggerName\n    startedAt\n    finishedAt\n    outputBytes\n    startedBy {\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliRunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation CliRunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliRunEnd($id: ID!) {\n    commandRun(id: $id) {\n      ...CliRunFields\n    }\n  }\n"): (typeof documents)["\n  query CliRunEnd($id: ID!) {\n    commandRun(id: $id) {\n      ...CliRunFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliCommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      stream\n      data\n    }\n  }\n"): (typeof documents)["\n  subscription CliCommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      stream\n      data\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CliLogLines($source: String!, $last: Int, $filter: String) {\n    logLines(source: $source, last: $last, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n"): (typeof documents)["\n  query CliLogLines($source: String!, $last: Int, $filter: String) {\n    logLines(source: $source, last: $last, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CliLogTail($source: String!, $backfill: Int, $after: String, $filter: String) {\n    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n"): (typeof documents)["\n  subscription CliLogTail($source: String!, $backfill: Int, $after: String, $filter: String) {\n    logTail(source: $source, backfill: $backfill, after: $after, filter: $filter) {\n      cursor\n      kind\n      text\n      droppedCount\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CliUpload($file: Upload!) {\n    uploadFile(file: $file) {\n      id\n      name\n      size\n      mimeType\n      sha256\n      downloadUrl\n    }\n  }\n"): (typeof documents)["\n  mutation CliUpload($file: Upload!) {\n    uploadFile(file: $file) {\n      id\n      name\n      size\n      mimeType\n      sha256\n      downloadUrl\n    }\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;