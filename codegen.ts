import type { CodegenConfig } from '@graphql-codegen/cli';

// The one place that says which schema the web types follow: the server's printed schema
// (`npm run schema`).
export const SCHEMA_PATH = 'schema/schema.graphql';

const config: CodegenConfig = {
  schema: SCHEMA_PATH,
  // documents live in *.documents.ts files next to the components that use them
  documents: ['web/src/**/*.documents.ts'],
  ignoreNoDocuments: false,
  generates: {
    'web/src/lib/graphql/generated/': {
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: {
        useTypeImports: true,
        enumType: 'string-literal',
        scalars: { DateTime: 'string', Upload: 'File' },
        strictScalars: true,
      },
    },
    'web/src/lib/graphql/generated/error-codes.ts': {
      plugins: ['./scripts/codegen-error-codes.mjs'],
    },
  },
};

export default config;
