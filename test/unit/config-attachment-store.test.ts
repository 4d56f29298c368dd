import { ConfigError, loadConfig } from '../../libs/config';
import { attachmentStoreFor, S3AttachmentStore } from '../../apps/api/src/attachments/attachment-store';

const valid = {
  DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/rectification',
  TEMPORAL_ADDRESS: '127.0.0.1:7233',
};

const problemsOf = (env: Record<string, string>): string[] => {
  try {
    loadConfig('api', { ...valid, ...env });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  return [];
};

/** ATTACHMENT_STORE chooses where attachment content lives (issue 20); s3 is checked at start-up. */
describe('the attachment store, chosen by configuration', () => {
  it('keeps attachments in PostgreSQL unless told otherwise', () => {
    expect(loadConfig('api', valid).attachments.store).toEqual({ kind: 'postgres' });
    // The S3 settings alone choose nothing.
    expect(loadConfig('api', { ...valid, S3_BUCKET: 'evidence' }).attachments.store).toEqual({ kind: 'postgres' });
  });

  it('refuses to start with ATTACHMENT_STORE=s3 and no bucket, naming it', () => {
    expect(() => loadConfig('api', { ...valid, ATTACHMENT_STORE: 's3' })).toThrow(ConfigError);
    expect(problemsOf({ ATTACHMENT_STORE: 's3' })).toEqual(['S3_BUCKET is required when ATTACHMENT_STORE=s3 (the bucket of the attachments)']);
  });

  it('refuses half a key pair, without printing the secret', () => {
    const secret = 'wJalrXUtnFEMIK7MDENGbPxRfiCYEXAMPLEKEY';
    const problems = problemsOf({ ATTACHMENT_STORE: 's3', S3_BUCKET: 'evidence', S3_SECRET_ACCESS_KEY: secret });
    expect(problems).toEqual([expect.stringContaining('S3_ACCESS_KEY_ID and S3_SECRET_ACCESS_KEY go together')]);
    expect(problemsOf({ S3_SECRET_ACCESS_KEY: 'short' }).join('\n')).toMatch(/S3_SECRET_ACCESS_KEY must be 8–256 characters without spaces \(got 5 characters\)/);
  });

  it.each([
    ['ATTACHMENT_STORE', 'minio'],
    ['S3_BUCKET', 'Evidence_Bucket'],
    ['S3_ENDPOINT', 'minio:9000'],
    ['S3_FORCE_PATH_STYLE', 'yes'],
  ])('refuses %s=%s, naming the variable and the value', (name, value) => {
    const problems = problemsOf({ ATTACHMENT_STORE: 's3', S3_BUCKET: 'evidence', [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(name);
    expect(problems[0]).toContain(value);
  });

  it('reads an S3-compatible server\'s bucket, address style and keys, and chooses the S3 store for it', () => {
    const env = {
      ATTACHMENT_STORE: 's3',
      S3_ENDPOINT: 'http://minio:9000',
      S3_BUCKET: 'county-evidence',
      S3_REGION: 'cn-north-1',
      S3_ACCESS_KEY_ID: 'rectification',
      S3_SECRET_ACCESS_KEY: 'a-secret-of-forty-characters-0123456789',
      S3_FORCE_PATH_STYLE: 'true',
    };
    const { store } = loadConfig('api', { ...valid, ...env }).attachments;
    expect(store).toEqual({
      kind: 's3',
      endpoint: 'http://minio:9000',
      bucket: 'county-evidence',
      region: 'cn-north-1',
      forcePathStyle: true,
      credentials: { accessKeyId: 'rectification', secretAccessKey: env.S3_SECRET_ACCESS_KEY },
    });
    // Without keys the SDK's own chain is used; AWS S3 itself without an endpoint.
    expect(loadConfig('api', { ...valid, ATTACHMENT_STORE: 's3', S3_BUCKET: 'evidence' }).attachments.store).toEqual({ kind: 's3', bucket: 'evidence', region: 'us-east-1', forcePathStyle: false });

    const chosen = attachmentStoreFor(store, undefined as never);
    expect(chosen).toBeInstanceOf(S3AttachmentStore);
    expect(chosen.kind).toBe('s3');
    expect((chosen as S3AttachmentStore).key('0b7c…')).toBe('attachments/0b7c…');
  });
});
