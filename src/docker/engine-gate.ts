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

export class StoppingError extends Error {
  constructor() {
    super('authlab is stopping (a signal came): nothing new is made in the engine');
    this.name = 'StoppingError';
  }
}

/**
 * Counts the making requests in flight on the engine clients it gates, and refuses new ones once
 * closed. A cleanup that lists what to remove while a create is in flight misses what it creates
 * next; with the gate closed and those requests back, one listing holds everything. The process has
 * one (below); a test makes its own rather than reset the module registry, which the test worker shares.
 */
export class EngineGate {
  private closed = false;
  private inFlight = 0;
  private readonly onSettled: (() => void)[] = [];
  private readonly gated = new WeakSet<object>();

  gateEngine(engine: Dockerode): Dockerode {
    const modem = engine.modem as unknown as { dial: Dial };
    if (this.gated.has(modem)) return engine;
    this.gated.add(modem);
    const dial = modem.dial.bind(modem);
    modem.dial = (options, callback) => {
      if (options.method !== 'POST' || !MAKES.test(options.path)) return dial(options, callback);
      if (this.closed) return callback(new StoppingError());
      this.inFlight++;
      dial(options, (err, data) => {
        this.inFlight--;
        if (this.inFlight === 0) for (const settle of this.onSettled.splice(0)) settle();
        callback(err, data);
      });
    };
    return engine;
  }

  /** From now on, nothing new is created or started through a gated engine client. */
  close(): void {
    this.closed = true;
  }

  /** Whether making requests are still on their way (their answer not back). */
  makingInFlight(): boolean {
    return this.inFlight > 0;
  }

  /** Resolves once no making request is in flight, or after `ms`, whichever comes first. */
  makingSettled(ms: number): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.onSettled.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

const processGate = new EngineGate();
/** Gates this engine client with the process's gate. */
export const gateEngine = (engine: Dockerode): Dockerode => processGate.gateEngine(engine);
/** From now on, nothing new is created or started through the process's gated clients. */
export const closeEngineGate = (): void => processGate.close();
export const makingInFlight = (): boolean => processGate.makingInFlight();
export const makingSettled = (ms: number): Promise<void> => processGate.makingSettled(ms);
