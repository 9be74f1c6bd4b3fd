import { graphql } from '../../lib/graphql/generated';

export const StorageQuery = graphql(`
  query Storage {
    storage {
      outputBytes
      outputQuotaBytes
      runs
      uploadBytes
      uploads
      databaseBytes
      diskFreeBytes
      diskTotalBytes
      lastSweepAt
      lastSweep {
        runs
        outputs
        uploads
        auditEvents
        bytesFreed
      }
      retention {
        runsDays
        runsPerCommand
        outputBytes
        uploadsDays
        auditDays
      }
    }
  }
`);
