import type { CodegenConfig } from '@graphql-codegen/cli';

// The one place that says which schema the web types follow: the server's printed schema
// (`npm run schema`).
export const SCHEMA_PATH = 'schema/schema.graphql';

const config: CodegenConfig = {
  schema: SCHEMA_PATH,
  ignoreNoDocuments: false,
  generates: {
    // documents live in *.documents.ts files next to the components that use them
    'web/src/lib/graphql/generated/': {
      documents: ['web/src/**/*.documents.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumType: 'string-literal',
        scalars: { DateTime: 'string', Upload: 'File' },
        strictScalars: true,
      },
    },
    // the `tiny-agent` CLI's own documents, compiled by the api's tsc (Node ESM: imports end in .js)
    'api/src/cli/generated/': {
      documents: ['api/src/cli/**/*.documents.ts'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumType: 'string-literal',
        scalars: { DateTime: 'string', Upload: 'File' },
        strictScalars: true,
        importExtension: '.js',
      },
    },
    'web/src/lib/graphql/generated/error-codes.ts': {
      plugins: ['./scripts/codegen-error-codes.mjs'],
    },
  },
};

export default config;
