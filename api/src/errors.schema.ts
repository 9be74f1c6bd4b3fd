import { builder } from './builder.js';
import { ERROR_CODES } from './errors.js';

// No field returns it: published so clients (the web's codegen) get the list of `extensions.code` values
builder.enumType('ErrorCode', {
  description: 'The `extensions.code` of every GraphQL error this server returns.',
  values: Object.fromEntries(
    Object.entries(ERROR_CODES).map(([code, description]) => [code, { description }]),
  ),
});
