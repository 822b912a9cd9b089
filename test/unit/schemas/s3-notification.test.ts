import { describe, expect, it } from 'vitest';
import { createdObjects, notificationKey } from '../../../shared/schemas/s3-notification';

/** An object-created notification as S3 delivers it to SQS (AWS's documented example, schema 2.1). */
function notification(overrides: { eventName?: string; key?: string } = {}) {
  return JSON.stringify({
    Records: [
      {
        eventVersion: '2.1',
        eventSource: 'aws:s3',
        awsRegion: 'us-west-2',
        eventTime: '1970-01-01T00:00:00.000Z',
        eventName: overrides.eventName ?? 'ObjectCreated:Put',
        userIdentity: { principalId: 'AIDAJDPLRKLG7UEXAMPLE' },
        requestParameters: { sourceIPAddress: '172.16.0.1' },
        responseElements: { 'x-amz-request-id': 'C3D13FE58DE4C810', 'x-amz-id-2': 'FMyUVURIY8/IgAtTv8x' },
        s3: {
          s3SchemaVersion: '1.0',
          configurationId: 'testConfigRule',
          bucket: {
            name: 'amzn-s3-demo-bucket',
            ownerIdentity: { principalId: 'A3NL1KOZZKExample' },
            arn: 'arn:aws:s3:::amzn-s3-demo-bucket',
          },
          object: {
            key: overrides.key ?? 'uploads/shop-1/01KAB5M1GZ9Y8X7W6V5T4S3R2Q.csv',
            size: 1024,
            eTag: 'd41d8cd98f00b204e9800998ecf8427e',
            sequencer: '0055AED6DCD90281E5',
          },
        },
      },
    ],
  });
}

describe('createdObjects', () => {
  it('reads the bucket and key of each object an S3 notification announces', () => {
    expect(createdObjects(notification())).toEqual([
      { bucket: 'amzn-s3-demo-bucket', key: 'uploads/shop-1/01KAB5M1GZ9Y8X7W6V5T4S3R2Q.csv' },
    ]);
    expect(createdObjects(notification({ eventName: 'ObjectCreated:CompleteMultipartUpload' }))).toHaveLength(
      1,
    );
  });

  it('decodes keys as S3 encodes them: spaces as +, other characters escaped', () => {
    const key = 'uploads/shop 1/名单+2026.csv';
    expect(notificationKey(key)).toBe('uploads/shop+1/%E5%90%8D%E5%8D%95%2B2026.csv');
    expect(createdObjects(notification({ key: notificationKey(key) }))[0]?.key).toBe(key);
  });

  it('announces nothing for the test event S3 sends when a notification is configured', () => {
    const testEvent = {
      Service: 'Amazon S3',
      Event: 's3:TestEvent',
      Time: '2014-10-13T15:57:02.089Z',
      Bucket: 'amzn-s3-demo-bucket',
      RequestId: '5582815E1AEA5ADF',
      HostId: '8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR',
    };
    expect(createdObjects(JSON.stringify(testEvent))).toEqual([]);
  });

  it.each([
    ['an object removal', notification({ eventName: 'ObjectRemoved:Delete' })],
    ['no records', JSON.stringify({ Records: [] })],
    ['a record without a key', notification().replace(/"key":"[^"]*",/, '')],
    ['another service', JSON.stringify({ Type: 'Notification', Message: '{}' })],
    ['text that is not JSON', 'uploads/shop-1/file.csv'],
  ])('throws for %s, so the message is kept for inspection', (_case, body) => {
    expect(() => createdObjects(body)).toThrow();
  });
});
