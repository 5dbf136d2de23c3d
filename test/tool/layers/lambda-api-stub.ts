import * as http from 'http';
import { AddressInfo } from 'net';

/**
 * A stub of the AWS Lambda API's GetLayerVersionByArn (GET /2018-10-31/layers?find=LayerVersion&Arn=...) on
 * 127.0.0.1, answered as Lambda answers: the layer version's JSON, 404 ResourceNotFoundException in the caller's
 * account, 403 AccessDeniedException naming the layer's resource-based policy for another account's version that
 * is not public, 403 naming the caller's identity-based policy, 429 TooManyRequestsException, or no answer.
 * The real SDK talks to it through AWS_ENDPOINT_URL_LAMBDA.
 */
export interface StubLayerVersion {
  readonly runtimes: string[];
  readonly architectures: string[];
}

export type StubMode = 'normal' | 'deny-identity' | 'throttle' | 'hang' | 'bad-credentials';

export interface LambdaApiStub {
  readonly url: string;
  /** Published layer versions by ARN. */
  readonly versions: Map<string, StubLayerVersion>;
  /** How every request is answered. */
  mode: StubMode;
  /** The requests: the ARN asked and the region of the SigV4 credential scope. */
  readonly requests: Array<{ arn: string; region?: string; signed: boolean }>;
  close(): Promise<void>;
}

export async function startLambdaApiStub(): Promise<LambdaApiStub> {
  const versions = new Map<string, StubLayerVersion>();
  const requests: LambdaApiStub['requests'] = [];
  const hanging: http.ServerResponse[] = [];
  const stub: LambdaApiStub = { url: '', versions, mode: 'normal', requests, close: async () => undefined };
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const arn = url.searchParams.get('Arn') ?? '';
    const auth = String(req.headers.authorization ?? '');
    requests.push({ arn, region: /Credential=[^/]+\/\d{8}\/([a-z0-9-]+)\/lambda\//.exec(auth)?.[1], signed: auth.startsWith('AWS4-HMAC-SHA256') });
    const error = (status: number, type: string, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-errortype': `${type}:http://internal.amazon.com/coral/com.amazonaws.awsgirawebservice/` });
      res.end(JSON.stringify({ Type: 'User', message }));
    };
    if (req.method !== 'GET' || url.pathname !== '/2018-10-31/layers' || url.searchParams.get('find') !== 'LayerVersion') {
      return error(400, 'InvalidParameterValueException', 'unexpected request');
    }
    switch (stub.mode) {
      case 'hang': hanging.push(res); return;
      case 'throttle': return error(429, 'TooManyRequestsException', 'Rate exceeded');
      case 'bad-credentials': return error(403, 'UnrecognizedClientException', 'The security token included in the request is invalid.');
      case 'deny-identity': return error(403, 'AccessDeniedException', `User: arn:aws:iam::111111111111:user/test is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} with an explicit deny in an identity-based policy`);
      default: break;
    }
    const found = versions.get(arn);
    if (!found) {
      // Another account's layer version that does not exist or is not public.
      return error(403, 'AccessDeniedException', `User: arn:aws:iam::111111111111:user/test is not authorized to perform: lambda:GetLayerVersion on resource: ${arn} because no resource-based policy allows the lambda:GetLayerVersion action`);
    }
    const version = Number(arn.slice(arn.lastIndexOf(':') + 1));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({
      LayerArn: arn.slice(0, arn.lastIndexOf(':')),
      LayerVersionArn: arn,
      Version: version,
      Description: 'AWS Distro of OpenTelemetry Lambda Layer for Python Runtime',
      CreatedDate: '2026-08-14T10:00:00.000+0000',
      CompatibleRuntimes: found.runtimes,
      CompatibleArchitectures: found.architectures,
      LicenseInfo: 'Apache-2.0',
      Content: { Location: 'https://example.invalid/layer.zip', CodeSha256: 'AAAA', CodeSize: 1 },
    }));
  });
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  Object.assign(stub, {
    url: `http://127.0.0.1:${address.port}`,
    close: () => new Promise<void>(resolve => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  });
  return stub;
}
