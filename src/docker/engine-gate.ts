import type Dockerode from 'dockerode';

/**
 * The engine requests that make something (a container, network, volume, image, exec) or start it:
 * testcontainers sends most of them from inside a start, where no caller can hold them back.
 */
const MAKES =
  /^\/(?:(?:containers|networks|volumes|images)\/create|build|containers\/[^/?]+\/(?:start|restart|exec)|exec\/[^/?]+\/start|networks\/[^/?]+\/connect)(?:\?|$)/;

interface DialOptions {
  path: string;
  method: string;
}
type Dial = (options: DialOptions, callback: (err: unknown, data?: unknown) => void) => void;

let closed = false;
let inFlight = 0;
const onSettled: (() => void)[] = [];
const gated = new WeakSet<object>();

export class StoppingError extends Error {
  constructor() {
    super('authlab is stopping (a signal came): nothing new is made in the engine');
    this.name = 'StoppingError';
  }
}

/**
 * Counts the making requests in flight on this engine client, and refuses new ones once the gate is
 * closed. A cleanup that lists what to remove while a create is in flight misses what it creates
 * next; with the gate closed and those requests back, one listing holds everything.
 */
export function gateEngine(engine: Dockerode): Dockerode {
  const modem = engine.modem as unknown as { dial: Dial };
  if (gated.has(modem)) return engine;
  gated.add(modem);
  const dial = modem.dial.bind(modem);
  modem.dial = (options, callback) => {
    if (options.method !== 'POST' || !MAKES.test(options.path)) return dial(options, callback);
    if (closed) return callback(new StoppingError());
    inFlight++;
    dial(options, (err, data) => {
      inFlight--;
      if (inFlight === 0) for (const settle of onSettled.splice(0)) settle();
      callback(err, data);
    });
  };
  return engine;
}

/** From now on, nothing new is created or started through a gated engine client. */
export function closeEngineGate(): void {
  closed = true;
}

/** Whether making requests are still on their way (their answer not back). */
export const makingInFlight = (): boolean => inFlight > 0;

/** Resolves once no making request is in flight, or after `ms`, whichever comes first. */
export function makingSettled(ms: number): Promise<void> {
  if (inFlight === 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    onSettled.push(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
