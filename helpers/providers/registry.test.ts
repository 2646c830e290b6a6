import { parseImageRef } from './registry.js';

describe('image references', () => {
  test('docker.io names, official and not, with and without a host, tag or digest', () => {
    expect(parseImageRef('nginx:1.21')).toEqual({ repository: 'library/nginx', reference: '1.21' });
    expect(parseImageRef('nginx')).toEqual({ repository: 'library/nginx', reference: 'latest' });
    expect(parseImageRef('docker.io/library/nginx:1.21')).toEqual({ repository: 'library/nginx', reference: '1.21' });
    expect(parseImageRef('fluent/fluentd:v1.11')).toEqual({ repository: 'fluent/fluentd', reference: 'v1.11' });
    expect(parseImageRef('registry.k8s.io/pause:3.10.2')).toEqual({ repository: 'pause', reference: '3.10.2' });
    expect(parseImageRef('127.0.0.1:5000/library/debian@sha256:abc')).toEqual({ repository: 'library/debian', reference: 'sha256:abc' });
    expect(parseImageRef('localhost/x/y')).toEqual({ repository: 'x/y', reference: 'latest' });
  });
});
