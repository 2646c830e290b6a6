// `kubectl port-forward POD LOCAL:REMOTE` to a free local port: a TCP server on
// 127.0.0.1 whose every connection is tunnelled to the pod's port over its
// own WebSocket. close() stops listening and ends every tunnel.
import net from 'node:net';
import { Writable } from 'node:stream';
import type { Kube } from './client.js';

export interface PortForwardHandle {
  /** Local port on 127.0.0.1. */
  port: number;
  /** `http://127.0.0.1:<port>` convenience. */
  url: string;
  /** What the pod side reported on the error channel (e.g. nothing listening on the port). */
  errors: string[];
  close(): Promise<void>;
}

/**
 * What a tunnel uses of its WebSocket (the `ws` package's WebSocket). The
 * client declares it through isomorphic-ws, whose types need @types/ws, which
 * is not installed: the declared type does not resolve, so it is named here.
 */
interface TunnelSocket {
  close(): void;
  on(event: 'close', listener: () => void): unknown;
}

export async function portForward(kube: Kube, ns: string, pod: string, remotePort: number): Promise<PortForwardHandle> {
  const sockets = new Set<net.Socket>();
  const closers = new Set<() => void>();
  const errors: string[] = [];
  const errorSink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      const text = Buffer.from(chunk).toString('utf8').trim();
      if (text) errors.push(text);
      cb();
    },
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    kube.portForward
      .portForward(ns, pod, [remotePort], socket, errorSink, socket)
      .then((ws: TunnelSocket | (() => unknown)) => {
        // Without retries, portForward returns the WebSocket itself.
        if (typeof ws === 'function') return;
        const close = (): void => ws.close();
        closers.add(close);
        ws.on('close', () => {
          closers.delete(close);
          socket.end();
        });
        socket.on('close', close);
      })
      .catch((err: unknown) => socket.destroy(err instanceof Error ? err : new Error(String(err))));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('port-forward: no local port');
  return {
    port: address.port,
    url: `http://127.0.0.1:${address.port}`,
    errors,
    close: async () => {
      for (const c of closers) c();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
