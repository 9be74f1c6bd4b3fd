// Baseline: graphql-yoga with its defaults answering { hello }.
import { createServer } from 'node:http';
import { createSchema, createYoga } from 'graphql-yoga';

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { hello: String! }',
    resolvers: { Query: { hello: () => 'world' } },
  }),
  logging: false,
});
const server = createServer(yoga);
server.listen(0, '127.0.0.1', () =>
  console.log(
    `listening {"url":"http://127.0.0.1:${(server.address() as { port: number }).port}"}`,
  ),
);
