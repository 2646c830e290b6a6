import { expectedQosClass } from './qos.js';

describe('QoS class', () => {
  test('QoS class from requests and limits', () => {
    expect(expectedQosClass([{ resources: { requests: { cpu: '250m', memory: '128Mi' }, limits: { cpu: '500m', memory: '128Mi' } } }])).toBe('Burstable');
    expect(expectedQosClass([{ resources: { limits: { cpu: '500m', memory: '128Mi' } } }])).toBe('Guaranteed');
    expect(expectedQosClass([{}, { resources: {} }])).toBe('BestEffort');
  });
});
