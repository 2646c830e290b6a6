// The edit-request patterns on invented sentences, including the near misses
// they must ignore (results reported in the past, hypothetical mentions).
import { describe, expect, it } from '@jest/globals';
import { findEditRequests, lineOfOffset, namedFiles, sentenceAround } from './edit-patterns.js';

const strip = (text: string) => findEditRequests(text).map(({ offset: _o, end: _e, ...rest }) => rest);

describe('findEditRequests', () => {
  it.each([
    ['まず `web.yaml` の `replicas` を 5 に書き換えてください。', [{ change: 'set-replicas', replicas: 5 }]],
    ['`replicas: 2` -> `replicas: 6` に変更してから apply します。', [{ change: 'set-replicas', from: 2, replicas: 6 }]],
    ['Now change `replicas` to 7 and apply again.', [{ change: 'set-replicas', replicas: 7 }]],
    ['`image: httpd:2.3` を `image: httpd:2.4` に書き換えます', [{ change: 'change-image', from: 'httpd:2.3', to: 'httpd:2.4' }]],
    ['`image: httpd:2.3` -> `image: httpd:2.4` に変更して apply', [{ change: 'change-image', from: 'httpd:2.3', to: 'httpd:2.4' }]],
    ['Change `image: httpd:2.3` to `image: httpd:2.4`.', [{ change: 'change-image', from: 'httpd:2.3', to: 'httpd:2.4' }]],
    ['`web-svc.yaml` を以下のように書き換えます。', [{ change: 'replace-file' }]],
    ['Service を以下のように変更しましょう。', [{ change: 'replace-file' }]],
    ['Update web-svc.yaml as follows:', [{ change: 'replace-file' }]],
  ])('recognises: %s', (text, expected) => {
    expect(strip(text)).toEqual(expected);
  });

  it.each([
    'すべての Pod が `image: httpd:2.3` -> `image: httpd:2.4` となりました。',
    'type が `ClusterIP` から `NodePort` に変更されました。',
    '`image: httpd:2.3` は `image: httpd:2.4` に変更されました。',
    '`replicas` には 3 が指定してあります。',
    'httpd のバージョンを `2.4` に書き換えて apply する',
  ])('ignores: %s', (text) => {
    expect(findEditRequests(text)).toEqual([]);
  });

  it('finds several requests of one paragraph in text order', () => {
    const text = '`replicas` を 4 に書き換えて apply します。\nそのあと `replicas` を 2 に書き換えます。';
    const requests = findEditRequests(text);
    expect(requests.map((r) => (r.change === 'set-replicas' ? r.replicas : undefined))).toEqual([4, 2]);
    expect(requests.map((r) => lineOfOffset(text, r.offset))).toEqual([0, 1]);
    expect(sentenceAround(text, requests[1]?.offset ?? 0, requests[1]?.end ?? 0)).toBe('そのあと `replicas` を 2 に書き換えます。');
  });
});

describe('namedFiles', () => {
  it('lists backticked YAML file names with offsets', () => {
    expect(namedFiles('edit `a.yaml` then `b.yml`, not `c.json`')).toEqual([
      { name: 'a.yaml', offset: 5 },
      { name: 'b.yml', offset: 19 },
    ]);
  });
});

describe('sentenceAround', () => {
  it('does not cut at the dot of a file name', () => {
    const text = 'First. Then edit web.yaml as follows: done';
    expect(sentenceAround(text, 12, 20)).toBe('Then edit web.yaml as follows: done');
  });
});
