// The QoS class Kubernetes gives a pod, from its containers' requests and
// limits (a request defaults to its limit), as the API server computes it.
// A quantity as written: `500m`, `128Mi`, or a plain YAML number.
type Quantity = string | number;
type Resources = { requests?: Record<string, Quantity>; limits?: Record<string, Quantity> };

export function expectedQosClass(containers: ReadonlyArray<{ resources?: Resources }>): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const all = containers.map((c) => {
    const limits = c.resources?.limits ?? {};
    const requests = { ...limits, ...(c.resources?.requests ?? {}) };
    return { requests, limits };
  });
  if (all.every((c) => Object.keys(c.requests).length === 0 && Object.keys(c.limits).length === 0)) return 'BestEffort';
  const guaranteed = all.every((c) =>
    ['cpu', 'memory'].every((r) => c.limits[r] !== undefined && String(c.requests[r]) === String(c.limits[r])),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
