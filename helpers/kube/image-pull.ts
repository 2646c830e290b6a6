// Which image-pull failures mean "this pod will never start" and which only
// mean "not yet". A wait fails at once on the first kind (a placeholder image
// never appears, so waiting out the deadline would only hide the reason) and
// keeps waiting through the second.
import type { V1ContainerStatus } from '@kubernetes/client-node';
import type { Wire } from './wire.js';

type ContainerStatus = Wire<V1ContainerStatus>;

const IMAGE_ERRORS = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull']);

/**
 * kubelet's own pull rate limit (KubeletConfiguration registryPullQPS and
 * registryBurst, 5/s and 10 by default) refuses a pull with this message
 * before asking the runtime (pkg/kubelet/images/puller.go's throttledImageService).
 * kubelet retries it after its image back-off, so a pod that hit it does start
 * (kind clusters keep the defaults; a suite that starts many pods of `:latest`
 * images at once can hit it on any cluster).
 */
const THROTTLED = /pull QPS exceeded/i;
/** The back-off message alone, naming no other error (pkg/kubelet/images/image_manager.go). */
const BARE_BACK_OFF = /^Back-off pulling image "[^"]*"$/;

/**
 * Follows a pod's containers across the events of a wait: returns why the pod
 * cannot start, or undefined while it still can. The back-off that follows a
 * throttled pull says only "Back-off pulling image", so the tracker remembers
 * which containers were throttled last.
 */
export class ImagePullTracker {
  private readonly throttled = new Set<string>();

  blocker(statuses: ReadonlyArray<Pick<ContainerStatus, 'name' | 'image' | 'state'>> | undefined): string | undefined {
    for (const cs of statuses ?? []) {
      const w = cs.state?.waiting;
      if (w?.reason === undefined || !IMAGE_ERRORS.has(w.reason)) {
        this.throttled.delete(cs.name);
        continue;
      }
      const message = w.message ?? '';
      if (w.reason === 'ErrImagePull' && THROTTLED.test(message)) {
        this.throttled.add(cs.name);
        continue;
      }
      if (w.reason === 'ImagePullBackOff' && (THROTTLED.test(message) || (this.throttled.has(cs.name) && BARE_BACK_OFF.test(message)))) {
        continue;
      }
      return `container ${cs.name} (image ${cs.image}): ${w.reason}: ${message}`;
    }
    return undefined;
  }
}
