// An image's labels, read from an OCI distribution registry (the local
// registry that serves the local cluster's images): the manifest names the
// config blob, whose `config.Labels` say what a stand-in stands in for.
const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
].join(', ');

/** `nginx:1.21`, `docker.io/library/nginx:1.21`, `registry.k8s.io/pause:3.10` -> the repository path in the registry and the tag (or digest). */
export function parseImageRef(image: string): { repository: string; reference: string } {
  let rest = image;
  let reference = 'latest';
  const at = rest.indexOf('@');
  if (at >= 0) {
    reference = rest.slice(at + 1);
    rest = rest.slice(0, at);
  } else {
    const colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      reference = rest.slice(colon + 1);
      rest = rest.slice(0, colon);
    }
  }
  const parts = rest.split('/');
  const first = parts[0] ?? '';
  const hasHost = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  const path = hasHost ? parts.slice(1) : parts;
  const host = hasHost ? first : 'docker.io';
  // docker.io's official images live under library/.
  const repository = host === 'docker.io' && path.length === 1 ? `library/${path[0] ?? ''}` : path.join('/');
  return { repository, reference };
}

interface Manifest {
  config?: { digest?: string };
  manifests?: Array<{ digest?: string; platform?: { os?: string; architecture?: string } }>;
}

async function getJson<T>(url: string, accept?: string): Promise<T | undefined> {
  const res = await fetch(url, { headers: accept ? { accept } : {}, signal: AbortSignal.timeout(5_000) });
  if (!res.ok) return undefined;
  return (await res.json()) as T;
}

/** The image's config labels, or undefined when the registry does not have it. */
export async function imageLabels(registry: string, image: string): Promise<Record<string, string> | undefined> {
  const { repository, reference } = parseImageRef(image);
  let manifest = await getJson<Manifest>(`${registry}/v2/${repository}/manifests/${reference}`, ACCEPT);
  const platform = manifest?.manifests?.find((m) => m.platform?.os === 'linux' && m.platform.architecture === 'amd64') ?? manifest?.manifests?.[0];
  if (platform?.digest !== undefined) manifest = await getJson<Manifest>(`${registry}/v2/${repository}/manifests/${platform.digest}`, ACCEPT);
  const digest = manifest?.config?.digest;
  if (digest === undefined) return undefined;
  const config = await getJson<{ config?: { Labels?: Record<string, string> } }>(`${registry}/v2/${repository}/blobs/${digest}`);
  return config?.config?.Labels;
}

/**
 * What the suite's stand-in images say of themselves (scripts/images labels them): the image a
 * reference stands in for, read once per image from `registry`, which serves them all. A registry
 * that does not answer is an error, not "no stand-in": a verdict must not lose its stand-in mark.
 */
export class StandInLabels {
  private readonly labels = new Map<string, Promise<Record<string, string> | undefined>>();

  constructor(private readonly registry: string) {}

  async of(image: string): Promise<{ for: string; description: string } | undefined> {
    let labels = this.labels.get(image);
    if (labels === undefined) {
      labels = imageLabels(this.registry, image);
      this.labels.set(image, labels);
    }
    const l = await labels;
    const standsInFor = l?.['io.tutorial-e2e.stand-in-for'];
    return standsInFor === undefined ? undefined : { for: standsInFor, description: l?.['org.opencontainers.image.description'] ?? `local stand-in for ${standsInFor}` };
  }
}
