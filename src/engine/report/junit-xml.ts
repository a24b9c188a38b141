import { mask } from '../../base/secrets.ts';

/** A test case as JUnit shows it: it fails with `failure`, is skipped with `skipped`, else passes. */
export interface JUnitCase {
  classname: string;
  name: string;
  timeMs?: number;
  /** `message` is shown in one line by CI; `detail` is the whole story. */
  failure?: { message: string; detail: string };
  /** Why the case did not run. */
  skipped?: string;
  /** What the case recorded, shown beside its result. */
  output?: string;
  /** Named values a CI can read per case (`<properties>`), in order. */
  properties?: Array<[name: string, value: string]>;
}

export interface JUnitSuite {
  name: string;
  cases: JUnitCase[];
}

// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text for a double-quoted XML 1.0 attribute value or element content. Besides `&`, `<`, `>` and `"`,
 * XML 1.0 forbids most C0 controls, lone surrogates and U+FFFE/U+FFFF even as character references
 * (a CI parser rejects the whole file), so they are written out as `\xNN`/`\uNNNN`: a key pasted with
 * a stray control character still shows where it was. Newline, tab and carriage return are allowed.
 */
function xml(s: string): string {
  return s
    .replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!)
    .replace(XML_FORBIDDEN, (c) => {
      const code = c.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16)}`;
    });
}

/** `name="value"` pairs, each value masked and escaped; undefined values are left out. */
function attrs(values: Record<string, string | number | undefined>): string {
  return Object.entries(values)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${xml(mask(String(v)))}"`)
    .join('');
}

const firstLine = (s: string) => s.split('\n')[0]!;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : (ms / 1000).toFixed(3));
const failed = (cases: JUnitCase[]) => cases.filter((c) => c.failure).length;

function testcase(c: JUnitCase): string {
  const props = c.properties?.length
    ? `      <properties>\n${c.properties.map(([name, value]) => `        <property${attrs({ name, value })}/>`).join('\n')}\n      </properties>`
    : '';
  const body = [
    props,
    c.failure ? `      <failure${attrs({ message: firstLine(c.failure.message) })}>${xml(mask(c.failure.detail))}</failure>` : '',
    c.skipped !== undefined ? `      <skipped${attrs({ message: c.skipped })}/>` : '',
    c.output !== undefined ? `      <system-out>${xml(mask(c.output))}</system-out>` : '',
  ].filter(Boolean);
  const open = `    <testcase${attrs({ classname: c.classname, name: c.name, time: seconds(c.timeMs) })}>`;
  return `${open}${body.length ? `\n${body.join('\n')}\n    ` : ''}</testcase>`;
}

function testsuite(s: JUnitSuite): string {
  const timed = s.cases.some((c) => c.timeMs !== undefined);
  const time = timed ? seconds(s.cases.reduce((t, c) => t + (c.timeMs ?? 0), 0)) : undefined;
  const skipped = s.cases.filter((c) => c.skipped !== undefined).length;
  const head = `  <testsuite${attrs({ name: s.name, tests: s.cases.length, failures: failed(s.cases), errors: 0, skipped, time })}>`;
  return [head, ...s.cases.map(testcase), '  </testsuite>'].join('\n');
}

/**
 * The one JUnit writer (scenarios, `authlab check`, `authlab upgrade`): every attribute and text
 * masked, then escaped. JUnit is five elements, so a string template with one escaper is all it takes.
 */
export function junitXml(name: string, suites: JUnitSuite[]): string {
  const cases = suites.flatMap((s) => s.cases);
  const head = `<testsuites${attrs({ name, tests: cases.length, failures: failed(cases) })}>`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${head}\n${suites.map(testsuite).join('\n')}\n</testsuites>\n`;
}
