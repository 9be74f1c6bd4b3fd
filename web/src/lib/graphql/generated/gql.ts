/* eslint-disable */
import * as types from './graphql';
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
    "\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      commandName\n    }\n  }\n": typeof types.PendingApprovalsDocument,
    "\n  fragment RunApprovalFields on CommandRun {\n    id\n    commandName\n    approval {\n      expiresAt\n      approvedBy {\n        username\n      }\n      approvedAt\n      rejectedBy {\n        username\n      }\n      rejectedAt\n      reason\n    }\n  }\n": typeof types.RunApprovalFieldsFragmentDoc,
    "\n  query RunApproval($id: ID!) {\n    commandRun(id: $id) {\n      ...RunApprovalFields\n    }\n    commands {\n      name\n      approval {\n        approvers\n      }\n    }\n    pendingApprovals {\n      id\n    }\n    me {\n      id\n      role\n    }\n  }\n": typeof types.RunApprovalDocument,
    "\n  mutation ApproveRun($id: ID!) {\n    approveCommandRun(id: $id) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n": typeof types.ApproveRunDocument,
    "\n  mutation RejectRun($id: ID!, $reason: String) {\n    rejectCommandRun(id: $id, reason: $reason) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n": typeof types.RejectRunDocument,
    "\n  query AuditEvents(\n    $first: Int\n    $after: String\n    $action: AuditAction\n    $actor: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    auditEvents(\n      first: $first\n      after: $after\n      action: $action\n      actor: $actor\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          actor {\n            id\n            username\n          }\n          actorName\n          ip\n          target\n          detail\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.AuditEventsDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": typeof types.MeDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n": typeof types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": typeof types.LogoutDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": typeof types.ChangePasswordDocument,
    "\n  query Hooks {\n    hooks {\n      name\n      command\n      style\n      secretEnv\n      perMinute\n      url\n      args {\n        name\n        field\n      }\n      recent(first: 5) {\n        receivedAt\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.HooksDocument,
    "\n  query Notifications($first: Int) {\n    notificationTargets {\n      name\n      type\n      where\n      lastError\n      lastSentAt\n    }\n    notifications(first: $first) {\n      id\n      target\n      event\n      subject\n      status\n      attempts\n      lastError\n      createdAt\n      sentAt\n      nextAt\n      run {\n        id\n      }\n    }\n  }\n": typeof types.NotificationsDocument,
    "\n  mutation SendTestNotification($target: String!) {\n    sendTestNotification(target: $target) {\n      id\n      status\n    }\n  }\n": typeof types.SendTestNotificationDocument,
    "\n  query Schedules {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      overlap\n      catchUp\n      args {\n        name\n        value\n      }\n      nextRuns(first: 3)\n      recent(first: 5) {\n        dueAt\n        outcome\n        detail\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.SchedulesDocument,
    "\n  query CommandNextRuns {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      nextRuns(first: 3)\n    }\n  }\n": typeof types.CommandNextRunsDocument,
    "\n  query LogTriggers {\n    logTriggers {\n      name\n      source\n      pattern\n      cooldownSeconds\n      command\n      args {\n        name\n        value\n      }\n      notify\n      lastFiredAt\n      firings(first: 5) {\n        id\n        at\n        line\n        error\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n": typeof types.LogTriggersDocument,
    "\n  query Commands {\n    commands {\n      name\n      title\n      description\n      group\n      icon\n      confirm\n      confirmMessage\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n": typeof types.CommandsDocument,
    "\n  query RecentRuns {\n    commandRuns(first: 100) {\n      edges {\n        node {\n          id\n          commandName\n          status\n          startedAt\n        }\n      }\n    }\n  }\n": typeof types.RecentRunsDocument,
    "\n  mutation RunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n    }\n  }\n": typeof types.RunCommandDocument,
    "\n  query Dashboard {\n    running: commandRuns(first: 20, status: RUNNING) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    recent: commandRuns(first: 10) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n  }\n": typeof types.DashboardDocument,
    "\n  fragment StoredFileFields on StoredFile {\n    id\n    name\n    size\n    mimeType\n    sha256\n    createdAt\n    downloadUrl\n    processingStatus\n    processingResult\n    uploadedBy {\n      id\n      username\n    }\n  }\n": typeof types.StoredFileFieldsFragmentDoc,
    "\n  query Files($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...StoredFileFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.FilesDocument,
    "\n  subscription FileProcessed {\n    fileProcessed {\n      ...StoredFileFields\n    }\n  }\n": typeof types.FileProcessedDocument,
    "\n  mutation UploadFile($file: Upload!) {\n    uploadFile(file: $file) {\n      ...StoredFileFields\n    }\n  }\n": typeof types.UploadFileDocument,
    "\n  mutation DeleteFile($id: ID!) {\n    deleteFile(id: $id)\n  }\n": typeof types.DeleteFileDocument,
    "\n  query LogSources {\n    logSources {\n      name\n      exists\n      sizeBytes\n      format\n    }\n  }\n": typeof types.LogSourcesDocument,
    "\n  subscription LogTail(\n    $source: String!\n    $backfill: Int\n    $after: String\n    $filter: String\n    $where: String\n    $since: DateTime\n  ) {\n    logTail(\n      source: $source\n      backfill: $backfill\n      after: $after\n      filter: $filter\n      where: $where\n      since: $since\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n": typeof types.LogTailDocument,
    "\n  query LogLines(\n    $source: String!\n    $last: Int\n    $before: String\n    $filter: String\n    $where: String\n    $first: Int\n    $after: String\n    $since: DateTime\n    $until: DateTime\n  ) {\n    logLines(\n      source: $source\n      last: $last\n      before: $before\n      filter: $filter\n      where: $where\n      first: $first\n      after: $after\n      since: $since\n      until: $until\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n": typeof types.LogLinesDocument,
    "\n  subscription LogTailMerged(\n    $sources: [String!]!\n    $backfill: Int\n    $filter: String\n    $after: [LogSourceCursor!]\n  ) {\n    logTailMerged(sources: $sources, backfill: $backfill, filter: $filter, after: $after) {\n      source\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      time\n    }\n  }\n": typeof types.LogTailMergedDocument,
    "\n  fragment ExplanationFields on Explanation {\n    text\n    model\n    at\n    generated\n  }\n": typeof types.ExplanationFieldsFragmentDoc,
    "\n  query RunExplanation($id: ID!) {\n    features {\n      explain\n    }\n    commandRun(id: $id) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n": typeof types.RunExplanationDocument,
    "\n  mutation ExplainCommandRun($id: ID!, $refresh: Boolean) {\n    explainCommandRun(id: $id, refresh: $refresh) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n": typeof types.ExplainCommandRunDocument,
    "\n  query ExplainFeature {\n    features {\n      explain\n    }\n  }\n": typeof types.ExplainFeatureDocument,
    "\n  mutation ExplainLogLines($source: String!, $lines: [String!]!) {\n    explainLogLines(source: $source, lines: $lines) {\n      ...ExplanationFields\n    }\n  }\n": typeof types.ExplainLogLinesDocument,
    "\n  query RunLogWindows($id: ID!, $first: Int) {\n    commandRun(id: $id) {\n      id\n      watchedLogs {\n        source\n        readable\n        from\n        to\n        since\n        until\n        lines(first: $first) {\n          cursor\n          text\n        }\n      }\n    }\n  }\n": typeof types.RunLogWindowsDocument,
    "\n  subscription RunLogTail($source: String!, $after: String, $since: DateTime) {\n    logTail(source: $source, after: $after, since: $since) {\n      cursor\n      kind\n      text\n    }\n  }\n": typeof types.RunLogTailDocument,
    "\n  fragment RunSummary on CommandRun {\n    id\n    commandName\n    argv\n    status\n    exitCode\n    signal\n    startedAt\n    finishedAt\n    startedBy {\n      id\n      username\n    }\n    trigger\n    triggerName\n    outputBytes\n    outputTruncated\n    outputRemovedAt\n    ...RunChecks\n  }\n": typeof types.RunSummaryFragmentDoc,
    "\n  fragment RunChecks on CommandRun {\n    checkReason\n    result {\n      key\n      value\n    }\n  }\n": typeof types.RunChecksFragmentDoc,
    "\n  query CommandRun($id: ID!) {\n    commandRun(id: $id) {\n      ...RunSummary\n      args {\n        name\n        value\n      }\n    }\n  }\n": typeof types.CommandRunDocument,
    "\n  query CommandRuns(\n    $first: Int\n    $after: String\n    $command: String\n    $status: RunStatus\n    $trigger: RunTrigger\n    $startedBy: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    commandRuns(\n      first: $first\n      after: $after\n      command: $command\n      status: $status\n      trigger: $trigger\n      startedBy: $startedBy\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": typeof types.CommandRunsDocument,
    "\n  subscription CommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      fromSeq\n      stream\n      data\n      at\n    }\n  }\n": typeof types.CommandOutputDocument,
    "\n  subscription RunUpdated {\n    commandRunUpdated {\n      ...RunSummary\n    }\n  }\n": typeof types.RunUpdatedDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelCommandRun(id: $id) {\n      ...RunSummary\n    }\n  }\n": typeof types.CancelRunDocument,
    "\n  query Storage {\n    storage {\n      outputBytes\n      outputQuotaBytes\n      runs\n      uploadBytes\n      uploads\n      databaseBytes\n      diskFreeBytes\n      diskTotalBytes\n      lastSweepAt\n      lastSweep {\n        runs\n        outputs\n        uploads\n        auditEvents\n        bytesFreed\n      }\n      retention {\n        runsDays\n        runsPerCommand\n        outputBytes\n        uploadsDays\n        auditDays\n      }\n    }\n  }\n": typeof types.StorageDocument,
    "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      createdAt\n      expiresAt\n      lastUsedAt\n    }\n  }\n": typeof types.ApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      apiToken {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n": typeof types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": typeof types.RevokeApiTokenDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": typeof types.SignOutEverywhereDocument,
    "\n  fragment UserFields on User {\n    id\n    username\n    role\n    disabled\n    createdAt\n    lastLoginAt\n  }\n": typeof types.UserFieldsFragmentDoc,
    "\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n": typeof types.UsersDocument,
    "\n  mutation CreateUser($username: String!, $password: String!, $role: Role!) {\n    createUser(username: $username, password: $password, role: $role) {\n      ...UserFields\n    }\n  }\n": typeof types.CreateUserDocument,
    "\n  mutation UpdateUser($id: ID!, $role: Role, $disabled: Boolean, $password: String) {\n    updateUser(id: $id, role: $role, disabled: $disabled, password: $password) {\n      ...UserFields\n    }\n  }\n": typeof types.UpdateUserDocument,
    "\n  mutation DeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n": typeof types.DeleteUserDocument,
    "\n  mutation EndUserSessions($id: ID!) {\n    endUserSessions(id: $id)\n  }\n": typeof types.EndUserSessionsDocument,
};
const documents: Documents = {
    "\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      commandName\n    }\n  }\n": types.PendingApprovalsDocument,
    "\n  fragment RunApprovalFields on CommandRun {\n    id\n    commandName\n    approval {\n      expiresAt\n      approvedBy {\n        username\n      }\n      approvedAt\n      rejectedBy {\n        username\n      }\n      rejectedAt\n      reason\n    }\n  }\n": types.RunApprovalFieldsFragmentDoc,
    "\n  query RunApproval($id: ID!) {\n    commandRun(id: $id) {\n      ...RunApprovalFields\n    }\n    commands {\n      name\n      approval {\n        approvers\n      }\n    }\n    pendingApprovals {\n      id\n    }\n    me {\n      id\n      role\n    }\n  }\n": types.RunApprovalDocument,
    "\n  mutation ApproveRun($id: ID!) {\n    approveCommandRun(id: $id) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n": types.ApproveRunDocument,
    "\n  mutation RejectRun($id: ID!, $reason: String) {\n    rejectCommandRun(id: $id, reason: $reason) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n": types.RejectRunDocument,
    "\n  query AuditEvents(\n    $first: Int\n    $after: String\n    $action: AuditAction\n    $actor: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    auditEvents(\n      first: $first\n      after: $after\n      action: $action\n      actor: $actor\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          actor {\n            id\n            username\n          }\n          actorName\n          ip\n          target\n          detail\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.AuditEventsDocument,
    "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n": types.MeDocument,
    "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n": types.LoginDocument,
    "\n  mutation Logout {\n    logout\n  }\n": types.LogoutDocument,
    "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n": types.ChangePasswordDocument,
    "\n  query Hooks {\n    hooks {\n      name\n      command\n      style\n      secretEnv\n      perMinute\n      url\n      args {\n        name\n        field\n      }\n      recent(first: 5) {\n        receivedAt\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.HooksDocument,
    "\n  query Notifications($first: Int) {\n    notificationTargets {\n      name\n      type\n      where\n      lastError\n      lastSentAt\n    }\n    notifications(first: $first) {\n      id\n      target\n      event\n      subject\n      status\n      attempts\n      lastError\n      createdAt\n      sentAt\n      nextAt\n      run {\n        id\n      }\n    }\n  }\n": types.NotificationsDocument,
    "\n  mutation SendTestNotification($target: String!) {\n    sendTestNotification(target: $target) {\n      id\n      status\n    }\n  }\n": types.SendTestNotificationDocument,
    "\n  query Schedules {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      overlap\n      catchUp\n      args {\n        name\n        value\n      }\n      nextRuns(first: 3)\n      recent(first: 5) {\n        dueAt\n        outcome\n        detail\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.SchedulesDocument,
    "\n  query CommandNextRuns {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      nextRuns(first: 3)\n    }\n  }\n": types.CommandNextRunsDocument,
    "\n  query LogTriggers {\n    logTriggers {\n      name\n      source\n      pattern\n      cooldownSeconds\n      command\n      args {\n        name\n        value\n      }\n      notify\n      lastFiredAt\n      firings(first: 5) {\n        id\n        at\n        line\n        error\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n": types.LogTriggersDocument,
    "\n  query Commands {\n    commands {\n      name\n      title\n      description\n      group\n      icon\n      confirm\n      confirmMessage\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n": types.CommandsDocument,
    "\n  query RecentRuns {\n    commandRuns(first: 100) {\n      edges {\n        node {\n          id\n          commandName\n          status\n          startedAt\n        }\n      }\n    }\n  }\n": types.RecentRunsDocument,
    "\n  mutation RunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n    }\n  }\n": types.RunCommandDocument,
    "\n  query Dashboard {\n    running: commandRuns(first: 20, status: RUNNING) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    recent: commandRuns(first: 10) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n  }\n": types.DashboardDocument,
    "\n  fragment StoredFileFields on StoredFile {\n    id\n    name\n    size\n    mimeType\n    sha256\n    createdAt\n    downloadUrl\n    processingStatus\n    processingResult\n    uploadedBy {\n      id\n      username\n    }\n  }\n": types.StoredFileFieldsFragmentDoc,
    "\n  query Files($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...StoredFileFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.FilesDocument,
    "\n  subscription FileProcessed {\n    fileProcessed {\n      ...StoredFileFields\n    }\n  }\n": types.FileProcessedDocument,
    "\n  mutation UploadFile($file: Upload!) {\n    uploadFile(file: $file) {\n      ...StoredFileFields\n    }\n  }\n": types.UploadFileDocument,
    "\n  mutation DeleteFile($id: ID!) {\n    deleteFile(id: $id)\n  }\n": types.DeleteFileDocument,
    "\n  query LogSources {\n    logSources {\n      name\n      exists\n      sizeBytes\n      format\n    }\n  }\n": types.LogSourcesDocument,
    "\n  subscription LogTail(\n    $source: String!\n    $backfill: Int\n    $after: String\n    $filter: String\n    $where: String\n    $since: DateTime\n  ) {\n    logTail(\n      source: $source\n      backfill: $backfill\n      after: $after\n      filter: $filter\n      where: $where\n      since: $since\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n": types.LogTailDocument,
    "\n  query LogLines(\n    $source: String!\n    $last: Int\n    $before: String\n    $filter: String\n    $where: String\n    $first: Int\n    $after: String\n    $since: DateTime\n    $until: DateTime\n  ) {\n    logLines(\n      source: $source\n      last: $last\n      before: $before\n      filter: $filter\n      where: $where\n      first: $first\n      after: $after\n      since: $since\n      until: $until\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n": types.LogLinesDocument,
    "\n  subscription LogTailMerged(\n    $sources: [String!]!\n    $backfill: Int\n    $filter: String\n    $after: [LogSourceCursor!]\n  ) {\n    logTailMerged(sources: $sources, backfill: $backfill, filter: $filter, after: $after) {\n      source\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      time\n    }\n  }\n": types.LogTailMergedDocument,
    "\n  fragment ExplanationFields on Explanation {\n    text\n    model\n    at\n    generated\n  }\n": types.ExplanationFieldsFragmentDoc,
    "\n  query RunExplanation($id: ID!) {\n    features {\n      explain\n    }\n    commandRun(id: $id) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n": types.RunExplanationDocument,
    "\n  mutation ExplainCommandRun($id: ID!, $refresh: Boolean) {\n    explainCommandRun(id: $id, refresh: $refresh) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n": types.ExplainCommandRunDocument,
    "\n  query ExplainFeature {\n    features {\n      explain\n    }\n  }\n": types.ExplainFeatureDocument,
    "\n  mutation ExplainLogLines($source: String!, $lines: [String!]!) {\n    explainLogLines(source: $source, lines: $lines) {\n      ...ExplanationFields\n    }\n  }\n": types.ExplainLogLinesDocument,
    "\n  query RunLogWindows($id: ID!, $first: Int) {\n    commandRun(id: $id) {\n      id\n      watchedLogs {\n        source\n        readable\n        from\n        to\n        since\n        until\n        lines(first: $first) {\n          cursor\n          text\n        }\n      }\n    }\n  }\n": types.RunLogWindowsDocument,
    "\n  subscription RunLogTail($source: String!, $after: String, $since: DateTime) {\n    logTail(source: $source, after: $after, since: $since) {\n      cursor\n      kind\n      text\n    }\n  }\n": types.RunLogTailDocument,
    "\n  fragment RunSummary on CommandRun {\n    id\n    commandName\n    argv\n    status\n    exitCode\n    signal\n    startedAt\n    finishedAt\n    startedBy {\n      id\n      username\n    }\n    trigger\n    triggerName\n    outputBytes\n    outputTruncated\n    outputRemovedAt\n    ...RunChecks\n  }\n": types.RunSummaryFragmentDoc,
    "\n  fragment RunChecks on CommandRun {\n    checkReason\n    result {\n      key\n      value\n    }\n  }\n": types.RunChecksFragmentDoc,
    "\n  query CommandRun($id: ID!) {\n    commandRun(id: $id) {\n      ...RunSummary\n      args {\n        name\n        value\n      }\n    }\n  }\n": types.CommandRunDocument,
    "\n  query CommandRuns(\n    $first: Int\n    $after: String\n    $command: String\n    $status: RunStatus\n    $trigger: RunTrigger\n    $startedBy: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    commandRuns(\n      first: $first\n      after: $after\n      command: $command\n      status: $status\n      trigger: $trigger\n      startedBy: $startedBy\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n": types.CommandRunsDocument,
    "\n  subscription CommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      fromSeq\n      stream\n      data\n      at\n    }\n  }\n": types.CommandOutputDocument,
    "\n  subscription RunUpdated {\n    commandRunUpdated {\n      ...RunSummary\n    }\n  }\n": types.RunUpdatedDocument,
    "\n  mutation CancelRun($id: ID!) {\n    cancelCommandRun(id: $id) {\n      ...RunSummary\n    }\n  }\n": types.CancelRunDocument,
    "\n  query Storage {\n    storage {\n      outputBytes\n      outputQuotaBytes\n      runs\n      uploadBytes\n      uploads\n      databaseBytes\n      diskFreeBytes\n      diskTotalBytes\n      lastSweepAt\n      lastSweep {\n        runs\n        outputs\n        uploads\n        auditEvents\n        bytesFreed\n      }\n      retention {\n        runsDays\n        runsPerCommand\n        outputBytes\n        uploadsDays\n        auditDays\n      }\n    }\n  }\n": types.StorageDocument,
    "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      createdAt\n      expiresAt\n      lastUsedAt\n    }\n  }\n": types.ApiTokensDocument,
    "\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      apiToken {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n": types.CreateApiTokenDocument,
    "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n": types.RevokeApiTokenDocument,
    "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n": types.SignOutEverywhereDocument,
    "\n  fragment UserFields on User {\n    id\n    username\n    role\n    disabled\n    createdAt\n    lastLoginAt\n  }\n": types.UserFieldsFragmentDoc,
    "\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n": types.UsersDocument,
    "\n  mutation CreateUser($username: String!, $password: String!, $role: Role!) {\n    createUser(username: $username, password: $password, role: $role) {\n      ...UserFields\n    }\n  }\n": types.CreateUserDocument,
    "\n  mutation UpdateUser($id: ID!, $role: Role, $disabled: Boolean, $password: String) {\n    updateUser(id: $id, role: $role, disabled: $disabled, password: $password) {\n      ...UserFields\n    }\n  }\n": types.UpdateUserDocument,
    "\n  mutation DeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n": types.DeleteUserDocument,
    "\n  mutation EndUserSessions($id: ID!) {\n    endUserSessions(id: $id)\n  }\n": types.EndUserSessionsDocument,
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
export function graphql(source: "\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      commandName\n    }\n  }\n"): (typeof documents)["\n  query PendingApprovals {\n    pendingApprovals {\n      id\n      commandName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunApprovalFields on CommandRun {\n    id\n    commandName\n    approval {\n      expiresAt\n      approvedBy {\n        username\n      }\n      approvedAt\n      rejectedBy {\n        username\n      }\n      rejectedAt\n      reason\n    }\n  }\n"): (typeof documents)["\n  fragment RunApprovalFields on CommandRun {\n    id\n    commandName\n    approval {\n      expiresAt\n      approvedBy {\n        username\n      }\n      approvedAt\n      rejectedBy {\n        username\n      }\n      rejectedAt\n      reason\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunApproval($id: ID!) {\n    commandRun(id: $id) {\n      ...RunApprovalFields\n    }\n    commands {\n      name\n      approval {\n        approvers\n      }\n    }\n    pendingApprovals {\n      id\n    }\n    me {\n      id\n      role\n    }\n  }\n"): (typeof documents)["\n  query RunApproval($id: ID!) {\n    commandRun(id: $id) {\n      ...RunApprovalFields\n    }\n    commands {\n      name\n      approval {\n        approvers\n      }\n    }\n    pendingApprovals {\n      id\n    }\n    me {\n      id\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ApproveRun($id: ID!) {\n    approveCommandRun(id: $id) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n"): (typeof documents)["\n  mutation ApproveRun($id: ID!) {\n    approveCommandRun(id: $id) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RejectRun($id: ID!, $reason: String) {\n    rejectCommandRun(id: $id, reason: $reason) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n"): (typeof documents)["\n  mutation RejectRun($id: ID!, $reason: String) {\n    rejectCommandRun(id: $id, reason: $reason) {\n      ...RunSummary\n      ...RunApprovalFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditEvents(\n    $first: Int\n    $after: String\n    $action: AuditAction\n    $actor: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    auditEvents(\n      first: $first\n      after: $after\n      action: $action\n      actor: $actor\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          actor {\n            id\n            username\n          }\n          actorName\n          ip\n          target\n          detail\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditEvents(\n    $first: Int\n    $after: String\n    $action: AuditAction\n    $actor: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    auditEvents(\n      first: $first\n      after: $after\n      action: $action\n      actor: $actor\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          id\n          at\n          action\n          actor {\n            id\n            username\n          }\n          actorName\n          ip\n          target\n          detail\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"): (typeof documents)["\n  query Me {\n    me {\n      id\n      username\n      role\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation Login($username: String!, $password: String!) {\n    login(username: $username, password: $password) {\n      user {\n        id\n        username\n        role\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout {\n    logout\n  }\n"): (typeof documents)["\n  mutation Logout {\n    logout\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"): (typeof documents)["\n  mutation ChangePassword($currentPassword: String!, $newPassword: String!) {\n    changePassword(currentPassword: $currentPassword, newPassword: $newPassword)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Hooks {\n    hooks {\n      name\n      command\n      style\n      secretEnv\n      perMinute\n      url\n      args {\n        name\n        field\n      }\n      recent(first: 5) {\n        receivedAt\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Hooks {\n    hooks {\n      name\n      command\n      style\n      secretEnv\n      perMinute\n      url\n      args {\n        name\n        field\n      }\n      recent(first: 5) {\n        receivedAt\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Notifications($first: Int) {\n    notificationTargets {\n      name\n      type\n      where\n      lastError\n      lastSentAt\n    }\n    notifications(first: $first) {\n      id\n      target\n      event\n      subject\n      status\n      attempts\n      lastError\n      createdAt\n      sentAt\n      nextAt\n      run {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  query Notifications($first: Int) {\n    notificationTargets {\n      name\n      type\n      where\n      lastError\n      lastSentAt\n    }\n    notifications(first: $first) {\n      id\n      target\n      event\n      subject\n      status\n      attempts\n      lastError\n      createdAt\n      sentAt\n      nextAt\n      run {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SendTestNotification($target: String!) {\n    sendTestNotification(target: $target) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation SendTestNotification($target: String!) {\n    sendTestNotification(target: $target) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Schedules {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      overlap\n      catchUp\n      args {\n        name\n        value\n      }\n      nextRuns(first: 3)\n      recent(first: 5) {\n        dueAt\n        outcome\n        detail\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Schedules {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      overlap\n      catchUp\n      args {\n        name\n        value\n      }\n      nextRuns(first: 3)\n      recent(first: 5) {\n        dueAt\n        outcome\n        detail\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommandNextRuns {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      nextRuns(first: 3)\n    }\n  }\n"): (typeof documents)["\n  query CommandNextRuns {\n    schedules {\n      id\n      command\n      cron\n      timezone\n      nextRuns(first: 3)\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogTriggers {\n    logTriggers {\n      name\n      source\n      pattern\n      cooldownSeconds\n      command\n      args {\n        name\n        value\n      }\n      notify\n      lastFiredAt\n      firings(first: 5) {\n        id\n        at\n        line\n        error\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query LogTriggers {\n    logTriggers {\n      name\n      source\n      pattern\n      cooldownSeconds\n      command\n      args {\n        name\n        value\n      }\n      notify\n      lastFiredAt\n      firings(first: 5) {\n        id\n        at\n        line\n        error\n        run {\n          id\n          status\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Commands {\n    commands {\n      name\n      title\n      description\n      group\n      icon\n      confirm\n      confirmMessage\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n"): (typeof documents)["\n  query Commands {\n    commands {\n      name\n      title\n      description\n      group\n      icon\n      confirm\n      confirmMessage\n      timeoutSeconds\n      maxConcurrent\n      running\n      args {\n        name\n        type\n        required\n        description\n        default\n        choices\n        pattern\n        min\n        max\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RecentRuns {\n    commandRuns(first: 100) {\n      edges {\n        node {\n          id\n          commandName\n          status\n          startedAt\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RecentRuns {\n    commandRuns(first: 100) {\n      edges {\n        node {\n          id\n          commandName\n          status\n          startedAt\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n    }\n  }\n"): (typeof documents)["\n  mutation RunCommand($name: String!, $args: [CommandArgInput!]) {\n    runCommand(name: $name, args: $args) {\n      id\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Dashboard {\n    running: commandRuns(first: 20, status: RUNNING) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    recent: commandRuns(first: 10) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query Dashboard {\n    running: commandRuns(first: 20, status: RUNNING) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n    recent: commandRuns(first: 10) {\n      edges {\n        node {\n          ...RunSummary\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment StoredFileFields on StoredFile {\n    id\n    name\n    size\n    mimeType\n    sha256\n    createdAt\n    downloadUrl\n    processingStatus\n    processingResult\n    uploadedBy {\n      id\n      username\n    }\n  }\n"): (typeof documents)["\n  fragment StoredFileFields on StoredFile {\n    id\n    name\n    size\n    mimeType\n    sha256\n    createdAt\n    downloadUrl\n    processingStatus\n    processingResult\n    uploadedBy {\n      id\n      username\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Files($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...StoredFileFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query Files($first: Int, $after: String) {\n    files(first: $first, after: $after) {\n      edges {\n        cursor\n        node {\n          ...StoredFileFields\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription FileProcessed {\n    fileProcessed {\n      ...StoredFileFields\n    }\n  }\n"): (typeof documents)["\n  subscription FileProcessed {\n    fileProcessed {\n      ...StoredFileFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UploadFile($file: Upload!) {\n    uploadFile(file: $file) {\n      ...StoredFileFields\n    }\n  }\n"): (typeof documents)["\n  mutation UploadFile($file: Upload!) {\n    uploadFile(file: $file) {\n      ...StoredFileFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteFile($id: ID!) {\n    deleteFile(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteFile($id: ID!) {\n    deleteFile(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogSources {\n    logSources {\n      name\n      exists\n      sizeBytes\n      format\n    }\n  }\n"): (typeof documents)["\n  query LogSources {\n    logSources {\n      name\n      exists\n      sizeBytes\n      format\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LogTail(\n    $source: String!\n    $backfill: Int\n    $after: String\n    $filter: String\n    $where: String\n    $since: DateTime\n  ) {\n    logTail(\n      source: $source\n      backfill: $backfill\n      after: $after\n      filter: $filter\n      where: $where\n      since: $since\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n"): (typeof documents)["\n  subscription LogTail(\n    $source: String!\n    $backfill: Int\n    $after: String\n    $filter: String\n    $where: String\n    $since: DateTime\n  ) {\n    logTail(\n      source: $source\n      backfill: $backfill\n      after: $after\n      filter: $filter\n      where: $where\n      since: $since\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LogLines(\n    $source: String!\n    $last: Int\n    $before: String\n    $filter: String\n    $where: String\n    $first: Int\n    $after: String\n    $since: DateTime\n    $until: DateTime\n  ) {\n    logLines(\n      source: $source\n      last: $last\n      before: $before\n      filter: $filter\n      where: $where\n      first: $first\n      after: $after\n      since: $since\n      until: $until\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n"): (typeof documents)["\n  query LogLines(\n    $source: String!\n    $last: Int\n    $before: String\n    $filter: String\n    $where: String\n    $first: Int\n    $after: String\n    $since: DateTime\n    $until: DateTime\n  ) {\n    logLines(\n      source: $source\n      last: $last\n      before: $before\n      filter: $filter\n      where: $where\n      first: $first\n      after: $after\n      since: $since\n      until: $until\n    ) {\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      level\n      message\n      fields {\n        name\n        value\n      }\n      file\n      time\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LogTailMerged(\n    $sources: [String!]!\n    $backfill: Int\n    $filter: String\n    $after: [LogSourceCursor!]\n  ) {\n    logTailMerged(sources: $sources, backfill: $backfill, filter: $filter, after: $after) {\n      source\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      time\n    }\n  }\n"): (typeof documents)["\n  subscription LogTailMerged(\n    $sources: [String!]!\n    $backfill: Int\n    $filter: String\n    $after: [LogSourceCursor!]\n  ) {\n    logTailMerged(sources: $sources, backfill: $backfill, filter: $filter, after: $after) {\n      source\n      cursor\n      kind\n      text\n      truncated\n      droppedCount\n      time\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ExplanationFields on Explanation {\n    text\n    model\n    at\n    generated\n  }\n"): (typeof documents)["\n  fragment ExplanationFields on Explanation {\n    text\n    model\n    at\n    generated\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunExplanation($id: ID!) {\n    features {\n      explain\n    }\n    commandRun(id: $id) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunExplanation($id: ID!) {\n    features {\n      explain\n    }\n    commandRun(id: $id) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplainCommandRun($id: ID!, $refresh: Boolean) {\n    explainCommandRun(id: $id, refresh: $refresh) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ExplainCommandRun($id: ID!, $refresh: Boolean) {\n    explainCommandRun(id: $id, refresh: $refresh) {\n      id\n      explanation {\n        ...ExplanationFields\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ExplainFeature {\n    features {\n      explain\n    }\n  }\n"): (typeof documents)["\n  query ExplainFeature {\n    features {\n      explain\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ExplainLogLines($source: String!, $lines: [String!]!) {\n    explainLogLines(source: $source, lines: $lines) {\n      ...ExplanationFields\n    }\n  }\n"): (typeof documents)["\n  mutation ExplainLogLines($source: String!, $lines: [String!]!) {\n    explainLogLines(source: $source, lines: $lines) {\n      ...ExplanationFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query RunLogWindows($id: ID!, $first: Int) {\n    commandRun(id: $id) {\n      id\n      watchedLogs {\n        source\n        readable\n        from\n        to\n        since\n        until\n        lines(first: $first) {\n          cursor\n          text\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query RunLogWindows($id: ID!, $first: Int) {\n    commandRun(id: $id) {\n      id\n      watchedLogs {\n        source\n        readable\n        from\n        to\n        since\n        until\n        lines(first: $first) {\n          cursor\n          text\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunLogTail($source: String!, $after: String, $since: DateTime) {\n    logTail(source: $source, after: $after, since: $since) {\n      cursor\n      kind\n      text\n    }\n  }\n"): (typeof documents)["\n  subscription RunLogTail($source: String!, $after: String, $since: DateTime) {\n    logTail(source: $source, after: $after, since: $since) {\n      cursor\n      kind\n      text\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunSummary on CommandRun {\n    id\n    commandName\n    argv\n    status\n    exitCode\n    signal\n    startedAt\n    finishedAt\n    startedBy {\n      id\n      username\n    }\n    trigger\n    triggerName\n    outputBytes\n    outputTruncated\n    outputRemovedAt\n    ...RunChecks\n  }\n"): (typeof documents)["\n  fragment RunSummary on CommandRun {\n    id\n    commandName\n    argv\n    status\n    exitCode\n    signal\n    startedAt\n    finishedAt\n    startedBy {\n      id\n      username\n    }\n    trigger\n    triggerName\n    outputBytes\n    outputTruncated\n    outputRemovedAt\n    ...RunChecks\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RunChecks on CommandRun {\n    checkReason\n    result {\n      key\n      value\n    }\n  }\n"): (typeof documents)["\n  fragment RunChecks on CommandRun {\n    checkReason\n    result {\n      key\n      value\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommandRun($id: ID!) {\n    commandRun(id: $id) {\n      ...RunSummary\n      args {\n        name\n        value\n      }\n    }\n  }\n"): (typeof documents)["\n  query CommandRun($id: ID!) {\n    commandRun(id: $id) {\n      ...RunSummary\n      args {\n        name\n        value\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CommandRuns(\n    $first: Int\n    $after: String\n    $command: String\n    $status: RunStatus\n    $trigger: RunTrigger\n    $startedBy: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    commandRuns(\n      first: $first\n      after: $after\n      command: $command\n      status: $status\n      trigger: $trigger\n      startedBy: $startedBy\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"): (typeof documents)["\n  query CommandRuns(\n    $first: Int\n    $after: String\n    $command: String\n    $status: RunStatus\n    $trigger: RunTrigger\n    $startedBy: ID\n    $since: DateTime\n    $until: DateTime\n  ) {\n    commandRuns(\n      first: $first\n      after: $after\n      command: $command\n      status: $status\n      trigger: $trigger\n      startedBy: $startedBy\n      since: $since\n      until: $until\n    ) {\n      edges {\n        cursor\n        node {\n          ...RunSummary\n        }\n      }\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      fromSeq\n      stream\n      data\n      at\n    }\n  }\n"): (typeof documents)["\n  subscription CommandOutput($runId: ID!, $afterSeq: Int) {\n    commandOutput(runId: $runId, afterSeq: $afterSeq) {\n      seq\n      fromSeq\n      stream\n      data\n      at\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription RunUpdated {\n    commandRunUpdated {\n      ...RunSummary\n    }\n  }\n"): (typeof documents)["\n  subscription RunUpdated {\n    commandRunUpdated {\n      ...RunSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelRun($id: ID!) {\n    cancelCommandRun(id: $id) {\n      ...RunSummary\n    }\n  }\n"): (typeof documents)["\n  mutation CancelRun($id: ID!) {\n    cancelCommandRun(id: $id) {\n      ...RunSummary\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Storage {\n    storage {\n      outputBytes\n      outputQuotaBytes\n      runs\n      uploadBytes\n      uploads\n      databaseBytes\n      diskFreeBytes\n      diskTotalBytes\n      lastSweepAt\n      lastSweep {\n        runs\n        outputs\n        uploads\n        auditEvents\n        bytesFreed\n      }\n      retention {\n        runsDays\n        runsPerCommand\n        outputBytes\n        uploadsDays\n        auditDays\n      }\n    }\n  }\n"): (typeof documents)["\n  query Storage {\n    storage {\n      outputBytes\n      outputQuotaBytes\n      runs\n      uploadBytes\n      uploads\n      databaseBytes\n      diskFreeBytes\n      diskTotalBytes\n      lastSweepAt\n      lastSweep {\n        runs\n        outputs\n        uploads\n        auditEvents\n        bytesFreed\n      }\n      retention {\n        runsDays\n        runsPerCommand\n        outputBytes\n        uploadsDays\n        auditDays\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      createdAt\n      expiresAt\n      lastUsedAt\n    }\n  }\n"): (typeof documents)["\n  query ApiTokens {\n    apiTokens {\n      id\n      name\n      createdAt\n      expiresAt\n      lastUsedAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      apiToken {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n"): (typeof documents)["\n  mutation CreateApiToken($name: String!, $expiresInDays: Int) {\n    createApiToken(name: $name, expiresInDays: $expiresInDays) {\n      apiToken {\n        id\n        name\n        createdAt\n        expiresAt\n        lastUsedAt\n      }\n      secret\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"): (typeof documents)["\n  mutation RevokeApiToken($id: ID!) {\n    revokeApiToken(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"): (typeof documents)["\n  mutation SignOutEverywhere {\n    signOutEverywhere\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UserFields on User {\n    id\n    username\n    role\n    disabled\n    createdAt\n    lastLoginAt\n  }\n"): (typeof documents)["\n  fragment UserFields on User {\n    id\n    username\n    role\n    disabled\n    createdAt\n    lastLoginAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n"): (typeof documents)["\n  query Users {\n    users {\n      ...UserFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateUser($username: String!, $password: String!, $role: Role!) {\n    createUser(username: $username, password: $password, role: $role) {\n      ...UserFields\n    }\n  }\n"): (typeof documents)["\n  mutation CreateUser($username: String!, $password: String!, $role: Role!) {\n    createUser(username: $username, password: $password, role: $role) {\n      ...UserFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateUser($id: ID!, $role: Role, $disabled: Boolean, $password: String) {\n    updateUser(id: $id, role: $role, disabled: $disabled, password: $password) {\n      ...UserFields\n    }\n  }\n"): (typeof documents)["\n  mutation UpdateUser($id: ID!, $role: Role, $disabled: Boolean, $password: String) {\n    updateUser(id: $id, role: $role, disabled: $disabled, password: $password) {\n      ...UserFields\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteUser($id: ID!) {\n    deleteUser(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EndUserSessions($id: ID!) {\n    endUserSessions(id: $id)\n  }\n"): (typeof documents)["\n  mutation EndUserSessions($id: ID!) {\n    endUserSessions(id: $id)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;