import { graphql } from '../../lib/graphql/generated';

export const ExplanationFieldsFragment = graphql(`
  fragment ExplanationFields on Explanation {
    text
    model
    at
    generated
  }
`);

export const RunExplanationQuery = graphql(`
  query RunExplanation($id: ID!) {
    features {
      explain
    }
    commandRun(id: $id) {
      id
      explanation {
        ...ExplanationFields
      }
    }
  }
`);

export const ExplainCommandRunMutation = graphql(`
  mutation ExplainCommandRun($id: ID!, $refresh: Boolean) {
    explainCommandRun(id: $id, refresh: $refresh) {
      id
      explanation {
        ...ExplanationFields
      }
    }
  }
`);

export const ExplainFeatureQuery = graphql(`
  query ExplainFeature {
    features {
      explain
    }
  }
`);

export const ExplainLogLinesMutation = graphql(`
  mutation ExplainLogLines($source: String!, $lines: [String!]!) {
    explainLogLines(source: $source, lines: $lines) {
      ...ExplanationFields
    }
  }
`);
