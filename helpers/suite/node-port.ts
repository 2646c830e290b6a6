// A NodePort is one per cluster, and reached from outside it: claiming one
// waits until no other namespace holds it, and releases it at cleanup; a
// request from this machine waits until kube-proxy has programmed it.
import http from 'node:http';
import { httpFromOutside, type HttpAnswer, type NodeAccess } from '../kube/index.js';
import { paths, waitFor } from '../kube/index.js';
import { reachesNodePorts } from '../providers/index.js';
import type { SpecNamespace } from './spec-namespace.js';

type Service = { metadata?: { name?: string; namespace?: string }; spec?: { ports?: Array<{ nodePort?: number }> } };

const holds = (s: Service, nodePort: number): boolean => (s.spec?.ports ?? []).some((p) => p.nodePort === nodePort);

/**
 * A NodePort answers once kube-proxy has programmed it, a moment after the
 * Service changed; there is nothing to watch for that, so the request is
 * repeated (like the Kubernetes e2e framework's reachability checks) until it
 * answers or the deadline passes, which then names the last error seen.
 */
export async function nodePortAnswers(ns: SpecNamespace, nodePort: number, opts: { timeoutMs?: number; path?: string } = {}): Promise<HttpAnswer & { url: string }> {
  const provider = ns.provider;
  if (!reachesNodePorts(provider)) throw new Error(`the ${provider.name} provider cannot reach NodePorts from this machine`);
  return answersWithin(provider, nodePort, opts, `NodePort ${nodePort}`);
}

/** A URL a provider's CLI printed for a Service (`minikube service --url`) answers from this machine, with the same patience. */
export async function serviceUrlAnswers(url: string, opts: { timeoutMs?: number } = {}): Promise<HttpAnswer & { url: string }> {
  const u = new URL(url);
  const port = Number(u.port || (u.protocol === 'https:' ? 443 : 80));
  const at: NodeAccess = { nodeAccess: () => Promise.resolve({ host: u.hostname.replace(/^\[|\]$/g, ''), port }) };
  return answersWithin(at, port, { ...opts, path: u.pathname }, url);
}

/**
 * What a browser does with a URL: asks for the page, then its favicon, on one
 * kept-alive connection, so both reach the same Pod behind a NodePort
 * (kube-proxy picks a Pod per connection). Repeated, like nodePortAnswers,
 * until the port answers or the deadline passes.
 */
export async function browserOpens(url: string, opts: { timeoutMs?: number } = {}): Promise<Array<{ url: string; status: number }>> {
  return pollUntilAnswered<Array<{ url: string; status: number }>>(opts.timeoutMs ?? 30_000, `${url} to answer a browser's requests from this machine`, async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const seen: Array<{ url: string; status: number }> = [];
      for (const u of [url, new URL('/favicon.ico', url).toString()]) seen.push({ url: u, status: await getOn(agent, u) });
      return { answer: seen };
    } catch (err) {
      return { miss: err instanceof Error ? err.message : String(err) };
    } finally {
      agent.destroy();
    }
  });
}

function getOn(agent: http.Agent, url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent, timeout: 5_000 }, (res) => {
      res.resume(); // the body is read to the end, so the connection is free for the next request
      res.on('end', () => resolve(res.statusCode ?? 0));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within 5 s from ${url}`)));
    req.on('error', (err: NodeJS.ErrnoException) => reject(new Error(`${url}: ${err.code ?? err.message}`)));
  });
}

function answersWithin(at: NodeAccess, nodePort: number, opts: { timeoutMs?: number; path?: string }, what: string): Promise<HttpAnswer & { url: string }> {
  return pollUntilAnswered<HttpAnswer & { url: string }>(opts.timeoutMs ?? 30_000, `${what} to answer from outside the cluster`, async () => {
    const a = await httpFromOutside(at, nodePort, opts.path ?? '/', { timeoutMs: 5_000 });
    return a.error === undefined && a.status !== undefined ? { answer: a } : { miss: `${a.url}: ${a.error ?? a.statusLine ?? 'nothing'}` };
  });
}

/**
 * Tries every 250 ms until an attempt gives an answer or the deadline passes;
 * then says what it waited for, how many attempts, and what the last one saw.
 */
async function pollUntilAnswered<T>(timeoutMs: number, what: string, attempt: () => Promise<{ answer: T } | { miss: string }>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last = 'nothing';
  let attempts = 0;
  while (Date.now() < deadline) {
    attempts++;
    const r = await attempt();
    if ('answer' in r) return r.answer;
    last = r.miss;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (${attempts} attempts); last seen: ${last}`);
}

/**
 * Waits, on a watch of every Service in the cluster, until none other than
 * this namespace's holds the port, then runs `claim`; a claim that loses a
 * race ("provided port is already allocated") waits and tries again. The
 * claim is released at cleanup, so the next holder (another source's spec)
 * need not wait for the namespace controller.
 */
export async function withNodePort<T>(ns: SpecNamespace, nodePort: number, claim: () => Promise<T>, timeoutMs = 180_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await waitFor<Service, true>(ns.kube, '/api/v1/services', (svcs) => !svcs.some((s) => s.metadata?.namespace !== ns.name && holds(s, nodePort)) || undefined, {
      timeoutMs: Math.max(1_000, deadline - Date.now()),
      describe: `nodePort ${nodePort} to be free (no Service of another namespace holding it)`,
      lastSeen: (svcs) =>
        svcs
          .filter((s) => holds(s, nodePort))
          .map((s) => `held by ${s.metadata?.namespace ?? '?'}/${s.metadata?.name ?? '?'}`)
          .join(', ') || 'free',
    });
    try {
      const claimed = await claim();
      ns.cleanup.add(`release nodePort ${nodePort}`, () => releaseNodePort(ns, nodePort));
      return claimed;
    } catch (err) {
      if (!/already allocated/.test((err as Error).message) || Date.now() > deadline) throw err;
    }
  }
}

/** Deletes this namespace's Services that hold the nodePort, so that another namespace may claim it. */
export async function releaseNodePort(ns: SpecNamespace, nodePort: number): Promise<void> {
  const list = await ns.kube.json<{ items: Service[] }>({ path: paths.services(ns.name), timeoutMs: 15_000 });
  for (const svc of list.items.filter((s) => holds(s, nodePort))) await ns.service(svc.metadata?.name ?? '').delete();
}
