import { describe, expect, it } from '@jest/globals';
import { ImagePullTracker } from './image-pull.js';

const waiting = (reason: string, message: string, name = 'nginx') => [{ name, image: 'nginx:latest', state: { waiting: { reason, message } } }];

describe('ImagePullTracker', () => {
  it('fails at once on an image that cannot be pulled', () => {
    const t = new ImagePullTracker();
    expect(t.blocker(waiting('ErrImagePull', 'rpc error: code = NotFound desc = manifest unknown'))).toBe(
      'container nginx (image nginx:latest): ErrImagePull: rpc error: code = NotFound desc = manifest unknown',
    );
    expect(t.blocker(waiting('InvalidImageName', 'bad ref'))).toMatch(/InvalidImageName/);
  });

  it("keeps waiting through kubelet's pull rate limit and the back-off that follows it", () => {
    const t = new ImagePullTracker();
    expect(t.blocker(waiting('ErrImagePull', 'pull QPS exceeded'))).toBeUndefined();
    expect(t.blocker(waiting('ImagePullBackOff', 'Back-off pulling image "nginx:latest"'))).toBeUndefined();
    expect(t.blocker(waiting('ImagePullBackOff', 'Back-off pulling image "nginx:latest": ErrImagePull: pull QPS exceeded'))).toBeUndefined();
  });

  it('does not excuse a back-off that was not preceded by a throttled pull', () => {
    const t = new ImagePullTracker();
    expect(t.blocker(waiting('ImagePullBackOff', 'Back-off pulling image "nginx:latest"'))).toMatch(/ImagePullBackOff/);
  });

  it('fails when a throttled container later fails for a real reason', () => {
    const t = new ImagePullTracker();
    t.blocker(waiting('ErrImagePull', 'pull QPS exceeded'));
    expect(t.blocker(waiting('ImagePullBackOff', 'Back-off pulling image "nginx:latest": ErrImagePull: not found'))).toMatch(/not found/);
    expect(t.blocker(waiting('ErrImagePull', 'manifest unknown'))).toMatch(/manifest unknown/);
  });

  it('forgets a throttled pull once the container moves on', () => {
    const t = new ImagePullTracker();
    t.blocker(waiting('ErrImagePull', 'pull QPS exceeded'));
    t.blocker([{ name: 'nginx', image: 'nginx:latest', state: { running: {} } }]);
    expect(t.blocker(waiting('ImagePullBackOff', 'Back-off pulling image "nginx:latest"'))).toMatch(/ImagePullBackOff/);
  });
});
