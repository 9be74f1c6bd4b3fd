import { graphql } from '../../lib/graphql/generated';

export const StoredFileFragment = graphql(`
  fragment StoredFileFields on StoredFile {
    id
    name
    size
    mimeType
    sha256
    createdAt
    downloadUrl
    processingStatus
    processingResult
    uploadedBy {
      id
      username
    }
  }
`);

export const FilesQuery = graphql(`
  query Files($first: Int, $after: String) {
    files(first: $first, after: $after) {
      edges {
        cursor
        node {
          ...StoredFileFields
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`);

export const FileProcessedSubscription = graphql(`
  subscription FileProcessed {
    fileProcessed {
      ...StoredFileFields
    }
  }
`);

export const UploadFileMutation = graphql(`
  mutation UploadFile($file: Upload!) {
    uploadFile(file: $file) {
      ...StoredFileFields
    }
  }
`);

export const DeleteFileMutation = graphql(`
  mutation DeleteFile($id: ID!) {
    deleteFile(id: $id)
  }
`);
