import { describe, expect, test } from 'vitest';
import { isRegistryMirror, mirroredName } from '../../src/parts/images/official-image.ts';

describe('official images through a registry mirror', () => {
  test('a Docker Hub name on a mirror: library/ for official images, the path prefix kept', () => {
    expect(mirroredName('n8nio/n8n:2.41.0', 'mirror.example.com')).toBe('mirror.example.com/n8nio/n8n:2.41.0');
    expect(mirroredName('nginx:1.27', 'mirror.example.com:5000')).toBe('mirror.example.com:5000/library/nginx:1.27');
    expect(mirroredName('postgres:15', 'harbor.example.com/dockerhub/')).toBe('harbor.example.com/dockerhub/library/postgres:15');
  });

  test("another registry's image keeps its name", () => {
    expect(mirroredName('ghcr.io/org/tool:1', 'mirror.example.com')).toBe('ghcr.io/org/tool:1');
    expect(mirroredName('localhost:5000/x:1', 'mirror.example.com')).toBe('localhost:5000/x:1');
  });

  test('a mirror is host[:port][/prefix], with no scheme', () => {
    for (const ok of ['mirror.example.com', '127.0.0.1:5000', 'harbor.example.com/dockerhub', 'nexus:8082/docker-hub/proxy'])
      expect(isRegistryMirror(ok), ok).toBe(true);
    for (const bad of ['http://mirror.example.com', 'mirror.example.com:port', '', 'mirror example', '/prefix']) expect(isRegistryMirror(bad), bad).toBe(false);
  });
});
