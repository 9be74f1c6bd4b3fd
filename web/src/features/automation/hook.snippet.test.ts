import { describe, expect, it } from 'vitest';
import { exampleBody, signingSnippet } from './hook.snippet';

describe('hook signing snippet', () => {
  it('shapes the example body by the mapping, nesting dotted fields', () => {
    expect(
      exampleBody([
        { name: 'ref', field: 'ref' },
        { name: 'repo', field: 'repository.full_name' },
        { name: 'owner', field: 'repository.owner.login' },
      ]),
    ).toEqual({ ref: '<ref>', repository: { full_name: '<repo>', owner: { login: '<owner>' } } });
  });

  it('quotes the body for the shell and reads the secret from its variable', () => {
    const text = signingSnippet(
      { url: '/hooks/deploy', secretEnv: 'DEPLOY_HOOK_SECRET', args: [] },
      'https://ops.example.com',
      { note: "it's" },
    );
    expect(text).toContain(`BODY='{"note":"it'\\''s"}'`);
    expect(text).toContain('-hmac "$DEPLOY_HOOK_SECRET"');
    expect(text).toContain("'https://ops.example.com/hooks/deploy'");
  });
});
