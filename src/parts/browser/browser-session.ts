import { access } from 'node:fs/promises';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { ownerFlags } from '../../docker/browser-processes.ts';

/** Debian's Chromium (scripts/bootstrap.sh installs it); playwright-core drives it and never downloads a browser. */
export const CHROMIUM_PATH = process.env.AUTHLAB_CHROMIUM ?? '/usr/bin/chromium';
const LAUNCH_TIMEOUT_MS = 60_000;

/**
 * As root on a closed network Chromium needs these: no sandbox, no GPU, and none of its own
 * traffic (updates, sync, QUIC), which this network refuses. Playwright adds a fresh
 * --user-data-dir of its own, removed when the browser closes.
 */
const FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSessionOptions {
  /**
   * Names the browser resolves to 127.0.0.1, where the stack publishes its ports: `n8n.lab` is not
   * localhost, so a page there over http is no secure context (as for a user on a real host name).
   */
  hostNames?: string[];
  /** Certificates the browser trusts, by key: base64 SHA-256 of each one's SubjectPublicKeyInfo (a test's own TLS). */
  trustedKeys?: string[];
}

export class BrowserUnavailableError extends Error {}

/** A Chromium of the stack kit's: started per use, always stopped (and swept by its owner flags when its owner died). */
export class BrowserSession {
  private readonly options: BrowserSessionOptions;

  constructor(options: BrowserSessionOptions = {}) {
    this.options = options;
  }

  async start(): Promise<StartedBrowserSession> {
    await access(CHROMIUM_PATH).catch(() => {
      throw new BrowserUnavailableError(`no Chromium at ${CHROMIUM_PATH}: scripts/bootstrap.sh installs Debian's chromium (or set AUTHLAB_CHROMIUM)`);
    });
    const { hostNames = [], trustedKeys = [] } = this.options;
    const args = [
      ...FLAGS,
      ...ownerFlags(),
      ...(hostNames.length ? [`--host-resolver-rules=${hostNames.map((h) => `MAP ${h} 127.0.0.1`).join(', ')}`] : []),
      ...(trustedKeys.length ? [`--ignore-certificate-errors-spki-list=${trustedKeys.join(',')}`] : []),
    ];
    // Playwright's own signal handlers would exit the process before the stack kit's cleanup
    // (cleanupOnSignals) removes its containers: that cleanup kills the browsers too, by their owner flags.
    // Loaded here, not with the module: the catalogue (and every `authlab --help`) imports this file.
    const { chromium } = await import('playwright-core');
    const browser = await chromium.launch({
      executablePath: CHROMIUM_PATH,
      headless: true,
      chromiumSandbox: false,
      args,
      timeout: LAUNCH_TIMEOUT_MS,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
    });
    try {
      return new StartedBrowserSession(browser, await browser.newContext({ viewport: { width: 1280, height: 800 } }));
    } catch (err) {
      await browser.close();
      throw err;
    }
  }
}

export class StartedBrowserSession {
  readonly browser: Browser;
  /** One profile: its cookie jar is what the browser kept. */
  readonly context: BrowserContext;

  constructor(browser: Browser, context: BrowserContext) {
    this.browser = browser;
    this.context = context;
  }

  newPage(): Promise<Page> {
    return this.context.newPage();
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
  }
}

/**
 * Starts a browser, hands it to `use`, and stops it whatever `use` does. Given a browser already
 * started, hands that one on and leaves it running: its starter stops it.
 */
export async function withBrowser<T>(options: BrowserSessionOptions | StartedBrowserSession, use: (session: StartedBrowserSession) => Promise<T>): Promise<T> {
  if (options instanceof StartedBrowserSession) return use(options);
  const session = await new BrowserSession(options).start();
  try {
    return await use(session);
  } finally {
    await session.stop();
  }
}
