import { readTutorial } from '../tutorial/index.js';
import { sources } from '../tutorial/test-paths.js';
import { criticalPath, deadAfter, readyAfter } from './floor.js';
import { sectionFloors } from './sections.js';

describe('floors the manifests impose', () => {
  test('probe arithmetic', () => {
    expect(readyAfter({ initialDelaySeconds: 5, periodSeconds: 3, successThreshold: 2 })).toBe(8);
    expect(readyAfter(undefined)).toBe(0);
    expect(deadAfter({ periodSeconds: 3, failureThreshold: 2 })).toBe(6);
    expect(deadAfter({})).toBe(30);
  });

  test("the blog's health-check sample: Ready 8 s, dead 6 s after the file goes, then 5 + 6 s without a second restart", () => {
    const floors = sectionFloors(readTutorial(sources.blog));
    expect(floors.find((f) => f.section === 'health-checks')?.seconds).toBe(25);
    expect(floors.find((f) => f.section === 'deployment')?.seconds).toBe(0);
  });

  test('the critical path sums a section over sources and takes the largest', () => {
    expect(
      criticalPath([
        [{ section: 'a', seconds: 5, why: '' }, { section: 'b', seconds: 8, why: '' }],
        [{ section: 'a', seconds: 5, why: '' }],
      ]),
    ).toEqual({ section: 'a', seconds: 10 });
  });
});
