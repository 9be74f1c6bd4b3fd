// A graphql-codegen plugin: the schema's `enum ErrorCode` as a string-literal union, each value
// with its description. The client preset only emits enums its documents use, and no field returns this one.
export const plugin = (schema) => {
  const type = schema.getType('ErrorCode');
  if (!type || !('getValues' in type)) throw new Error('the schema has no enum ErrorCode');
  const doc = (text) => `  /** ${String(text).replace(/\*\//g, '*\\/')} */\n`;
  const values = type
    .getValues()
    .map((v) => `${v.description ? doc(v.description) : ''}  | '${v.name}'`);
  return `/* eslint-disable */\n/** ${type.description} */\nexport type ErrorCode =\n${values.join('\n')};\n`;
};
