import { describe, expect, it } from 'vitest';
import { MASK, maskSecrets } from './explain.mask.js';

describe('maskSecrets', () => {
  const cases: [string, string, string][] = [
    [
      'AWS secret in an env line',
      'AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      'wJalrXUtnFEMI',
    ],
    ['AWS access key id', 'using key AKIAIOSFODNN7EXAMPLE now', 'AKIAIOSFODNN7EXAMPLE'],
    ['password=', 'mysql -u root password=hunter2 failed', 'hunter2'],
    ['token: value', 'token: abc123def', 'abc123def'],
    ['quoted JSON secret', '{"db_password": "s3cret!x"}', 's3cret!x'],
    ['Authorization header', 'Authorization: Bearer abc.def.ghi', 'abc.def.ghi'],
    ['Basic header', 'proxy-authorization: Basic dXNlcjpwYXNz', 'dXNlcjpwYXNz'],
    ['bare bearer token', 'sent bearer Zm9vYmFyYmF6', 'Zm9vYmFyYmF6'],
    ['URL with user:pass', 'git clone https://bob:s3cr3t@example.com/x.git', 's3cr3t'],
    ['GitHub token', 'GH=ghp_aaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'ghp_aaaa'],
    ['Slack token', 'xoxb-1234-5678-abcdef', 'xoxb-1234'],
    ['sk- key', 'key sk-proj-abcdefghijklmnopqrstu rejected', 'sk-proj'],
    [
      'JWT',
      'jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U',
      'eyJhbGciOi',
    ],
    ['long hex', 'digest 0123456789abcdef0123456789abcdef01 done', '0123456789abcdef0123'],
    ['long base64', 'blob Q2hhbmdlTWUxMjM0NTY3ODkwQWJjZGVmZ2hpamtsbW5vcA== x', 'Q2hhbmdlTWUx'],
  ];
  it.each(cases)('masks %s', (_name, input, secret) => {
    const out = maskSecrets(input);
    expect(out).not.toContain(secret);
    expect(out).toContain(MASK);
  });

  it('masks a whole PEM private key block, and an unfinished one to the end', () => {
    const pem =
      '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\nabc\n-----END RSA PRIVATE KEY-----';
    expect(maskSecrets(`before\n${pem}\nafter`)).toBe(`before\n${MASK}\nafter`);
    expect(maskSecrets('-----BEGIN PRIVATE KEY-----\nMIIEow\nxyz')).toBe(MASK);
  });

  it('keeps the key names and the ordinary text around a secret', () => {
    expect(maskSecrets('password=hunter2 user=bob')).toBe(`password=${MASK} user=bob`);
    expect(maskSecrets('https://bob:pw@host/x')).toBe(`https://bob:${MASK}@host/x`);
  });

  it('leaves ordinary failure output alone', () => {
    const lines = [
      'df: /mnt/backup: No such file or directory',
      'error: connection refused on /var/lib/postgresql/data/pg_wal/000000010000000000000001',
      'Job for nginx.service failed because the control process exited with error code.',
      '/usr/local/lib/node_modules/something/very/long/path/name/of/a/module',
      'exit status 2 after 30s',
    ];
    for (const l of lines) expect(maskSecrets(l)).toBe(l);
  });
});
