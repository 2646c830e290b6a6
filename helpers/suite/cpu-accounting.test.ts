import { apiRequestsTotal, formatCpuShares, parseTimesLine, ShimSampler, ticksBetween } from './cpu-accounting.js';
import { parseProcStat, type ProcStat } from './processes.js';

// A real /proc/<pid>/stat line (kube-apiserver), shortened after starttime.
const APISERVER = '4105 (kube-apiserver) S 3918 4105 2405 0 -1 4194560 131390 0 0 0 5000 1240 7 3 20 0 12 0 9001 1488396288 79021 18446744073709551615 1 1 0 0 0 0 0 0 0';
const proc = (pid: number, comm: string, ticks: number, start = 100): ProcStat => ({ pid, comm, ppid: 1, ticks, childTicks: 0, start });

describe('where the CPU goes', () => {
  test('/proc/<pid>/stat: the parent, utime+stime, the reaped children, the start; a comm with spaces and parentheses', () => {
    expect(parseProcStat(APISERVER)).toEqual({ pid: 4105, comm: 'kube-apiserver', ppid: 3918, ticks: 6240, childTicks: 10, start: 9001 });
    expect(parseProcStat(APISERVER.replace('(kube-apiserver)', '(a (b) c)')).comm).toBe('a (b) c');
    expect(() => parseProcStat('garbage')).toThrow('not a /proc/<pid>/stat line');
  });

  test('per component between two readings; a restarted process counts its new life only; unknown names are not counted', () => {
    const before = [proc(1, 'kube-apiserver', 1000), proc(2, 'etcd', 500), proc(3, 'kube-controller', 50), proc(9, 'bash', 7)];
    const after = [proc(1, 'kube-apiserver', 4100), proc(2, 'etcd', 800, 555), proc(3, 'kube-controller', 80), proc(9, 'bash', 900)];
    expect(Object.fromEntries(ticksBetween(before, after))).toEqual({ 'kube-apiserver': 3100, etcd: 800, 'kube-controller-manager': 30 });
  });

  test('shims come and go: each counts the most it was seen with, less what it had at the start', () => {
    const s = new ShimSampler([proc(7, 'containerd-shim', 40)]);
    s.add([proc(7, 'containerd-shim', 45), proc(8, 'containerd-shim', 3), proc(1, 'kubelet', 999)]);
    s.add([proc(7, 'containerd-shim', 52)]); // shim 8 is gone: its 3 ticks stay counted
    expect(s.ticks()).toBe(12 + 3);
  });

  test("bash's times line: the children's user plus system time", () => {
    expect(parseTimesLine('0m0.011s 0m0.029s')).toBeCloseTo(0.04);
    expect(parseTimesLine('1m2.500s 0m0.500s')).toBeCloseTo(63);
    expect(() => parseTimesLine('oops')).toThrow("not a line of bash's times");
  });

  test('API requests: apiserver_request_total summed over its labels, other series ignored', () => {
    const metrics = [
      '# HELP apiserver_request_total Counter of apiserver requests',
      'apiserver_request_total{code="200",verb="GET"} 1200',
      'apiserver_request_total{code="201",verb="POST"} 34',
      'apiserver_request_total_other{code="200"} 99',
      'apiserver_request_duration_seconds_count{verb="GET"} 5',
    ].join('\n');
    expect(apiRequestsTotal(metrics)).toBe(1234);
  });

  test('the table: largest first, then what no component accounts for, then the machine', () => {
    expect(formatCpuShares([{ component: 'etcd', seconds: 3 }, { component: 'driver', seconds: 10, note: 'jest' }], 20)).toEqual([
      '  driver                      10.0 CPU-s  (jest)',
      '  etcd                         3.0 CPU-s',
      '  (rest of the machine)        7.0 CPU-s',
      '  machine total               20.0 CPU-s',
    ]);
  });
});
