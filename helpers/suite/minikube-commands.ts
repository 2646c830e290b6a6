// The walkthrough's minikube commands, typed on the minikube provider as the
// reader typed them, with what differs between the writer's laptop and this
// run made explicit (each adaptation is noted in the report):
//   - `minikube service NAME` looks in the `default` namespace unless told:
//     the reader's Services are in the suite's namespace, so it is named;
//   - the profile is the run's (MINIKUBE_PROFILE), not necessarily `minikube`:
//     where minikube prints the profile's name, the text's `minikube` is it;
//   - `minikube service --url` prints a tunnel table only where it must run a
//     tunnel (the docker driver on macOS and Windows, as in the walkthrough);
//     on Linux the node's address is reachable and it prints the URL alone.
// Pure.
import type { Command } from '../tutorial/index.js';

const SERVICE = /^minikube\s+service\s+\S+/;

/** The line the reader's shell types for a minikube command of the text, and what was changed. */
export function minikubeLine(text: string, namespace: string): { line: string; note?: string } {
  const t = text.trim();
  if (!SERVICE.test(t) || /\s(-n|--namespace)(\s|=)/.test(` ${t}`)) return { line: t };
  return { line: `${t} --namespace=${namespace}`, note: `typed with --namespace=${namespace}: the text's Service is in the suite's namespace, not \`default\`` };
}

/** The text's output without the tunnel's lines, for a `minikube service --url` run on Linux. */
export function withoutTunnelTable(c: Command): { command: Command; note?: string } {
  if (!SERVICE.test(c.text.trim()) || !/\s--url\b/.test(c.text)) return { command: c };
  const output = c.output.filter((l) => !/^\s*\|/.test(l) && !/tunnel|terminal needs to be open/i.test(l));
  return output.length === c.output.length
    ? { command: c }
    : {
        command: { ...c, output },
        note: 'compared without the tunnel table the text shows: minikube runs a tunnel only where the node is not reachable (the docker driver on macOS and Windows); on this Linux host it prints the URL alone',
      };
}

/** Names for compareAlike: the text's profile name `minikube` is the run's profile where `minikube status` prints it (its first line). */
export function minikubeNames(c: Command, profile: string | undefined): Map<string, string> | undefined {
  if (profile === undefined || profile === 'minikube' || !/^minikube\s+status\b/.test(c.text.trim())) return undefined;
  return new Map([['minikube', profile]]);
}

/** The URLs a `minikube service --url` printed. */
export function urlsIn(stdout: string): string[] {
  return stdout
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^https?:\/\/\S+$/.test(l));
}
