import type Dockerode from 'dockerode';
import { beforeEach, describe, expect, test } from 'vitest';
import { EngineGate, StoppingError } from '../../src/docker/engine-gate.ts';

type Callback = (err: unknown, data?: unknown) => void;

/** A client whose modem records each request and answers it only when told. */
function fakeEngine() {
  const sent: { path: string; answer: Callback }[] = [];
  const modem = {
    dial: (options: { path: string; method: string }, answer: Callback) => void sent.push({ path: `${options.method} ${options.path}`, answer }),
  };
  return { engine: { modem } as unknown as Dockerode, sent };
}

const ask = (engine: Dockerode, method: string, path: string) =>
  new Promise<unknown>((resolve, reject) =>
    (engine.modem as unknown as { dial: (o: object, cb: Callback) => void }).dial({ method, path }, (err, data) => (err ? reject(err) : resolve(data))),
  );

describe('the engine gate (what a stopping process may still ask the engine)', () => {
  // A gate of its own: the process's is the test worker's, shared with the engine's stacks.
  let gate: EngineGate;
  beforeEach(() => {
    gate = new EngineGate();
  });

  test('counts the creates and starts in flight, not the reads, removals or waits', async () => {
    const { engine, sent } = fakeEngine();
    gate.gateEngine(engine);
    void ask(engine, 'GET', '/containers/json?');
    void ask(engine, 'DELETE', '/containers/abc?');
    void ask(engine, 'POST', '/containers/abc/wait?');
    expect(gate.makingInFlight()).toBe(false);
    const created = ask(engine, 'POST', '/networks/create?');
    void ask(engine, 'POST', '/containers/abc/start?');
    expect(gate.makingInFlight()).toBe(true);
    const settled = gate.makingSettled(10_000);
    sent.find((s) => s.path === 'POST /networks/create?')!.answer(null, { Id: 'n1' });
    expect(await created).toEqual({ Id: 'n1' });
    expect(gate.makingInFlight()).toBe(true);
    sent.find((s) => s.path === 'POST /containers/abc/start?')!.answer(null);
    await settled;
    expect(gate.makingInFlight()).toBe(false);
  });

  test('once closed, refuses every create and start before it reaches the engine, and lets removals through', async () => {
    const { engine, sent } = fakeEngine();
    gate.gateEngine(engine);
    gate.close();
    for (const path of [
      '/containers/create?',
      '/volumes/create?',
      '/networks/create?',
      '/images/create?',
      '/build?',
      '/containers/abc/start?',
      '/containers/abc/exec',
      '/exec/e1/start',
      '/networks/n1/connect',
    ])
      await expect(ask(engine, 'POST', path), path).rejects.toThrow(StoppingError);
    expect(sent).toEqual([]);
    void ask(engine, 'DELETE', '/networks/n1');
    void ask(engine, 'POST', '/containers/abc/kill?');
    expect(sent.map((s) => s.path)).toEqual(['DELETE /networks/n1', 'POST /containers/abc/kill?']);
  });

  test('a wait for creates in flight ends at its bound when one never answers', async () => {
    const { engine } = fakeEngine();
    gate.gateEngine(engine);
    void ask(engine, 'POST', '/containers/create?');
    const started = Date.now();
    await gate.makingSettled(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(gate.makingInFlight()).toBe(true);
  });
});
