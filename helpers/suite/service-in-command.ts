// Which Service of the namespace a command of the text reaches with curl,
// and from which pod: the reader types such a command once the Service
// accepts connections there (ServiceHandle.reachableFrom), as a reader who
// has just created it only does a few seconds later. Pure.

/** The Service a `curl` in the command names as its URL's host (`http://web/`, `web.ns.svc:8080`), among `services`. */
export function curledService(text: string, services: readonly string[]): string | undefined {
  if (!/\bcurl\b/.test(text)) return undefined;
  // The URL's host up to its first dot: a Service's short name, or the first label of its DNS name.
  return [...text.matchAll(/\bhttps?:\/\/([a-z0-9][a-z0-9-]*)/g)].map((m) => m[1] ?? '').find((host) => services.includes(host));
}

/** The pod of a `kubectl exec [flags] <pod> -- ...` line (quotes and `pod/` prefix allowed). */
export function podOfExec(text: string): string | undefined {
  const m = /\bkubectl\s+exec\s+((?:(?:-it|-ti|-i|-t|--stdin|--tty|-c\s+\S+|--container[=\s]\S+|-n\s+\S+|--namespace[=\s]\S+)\s+)*)'?(?:pod\/)?([a-z0-9][a-z0-9.-]*)'?/.exec(text);
  return m?.[2];
}
