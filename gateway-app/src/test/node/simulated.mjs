// The engine simulator's answers (dev.switchboard.simulator.SimulatedText), so a test can tell exactly
// what a client library must show: the words follow from Java's String.hashCode of the prompt.
const WORDS = [
  'alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel',
  'india', 'juliet', 'kilo', 'lima', 'mike', 'november', 'oscar', 'papa',
  'quebec', 'romeo', 'sierra', 'tango', 'uniform', 'victor', 'whiskey', 'xray',
  'yankee', 'zulu', 'amber', 'basalt', 'cobalt', 'dune', 'ember', 'flint',
];

/** Tokens in an answer no limit cuts short. */
export const NATURAL = 16;

function hashCode(text) {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(31, h) + text.charCodeAt(i)) | 0;
  return h;
}

const floorMod = (a, n) => ((a % n) + n) % n;

/** The first `count` tokens of the answer to `prompt`, concatenated. */
export function simulatedText(prompt, count = NATURAL) {
  const seed = hashCode(prompt);
  const words = [];
  for (let i = 0; i < count; i++) words.push(WORDS[floorMod(seed + i * 7, WORDS.length)]);
  return words.join(' ');
}

/** A chat's prompt: its messages' text joined by newlines. */
export const chatPrompt = (...contents) => contents.join('\n');

/** The simulator's 16-float unit embedding of `input`. */
export function simulatedEmbedding(input) {
  const seed = hashCode(input);
  const raw = Array.from({ length: 16 }, (_, i) => Math.sin(seed * 0.001 + i + 1));
  const norm = Math.sqrt(raw.reduce((sum, x) => sum + x * x, 0));
  return raw.map((x) => Math.fround(x / norm));
}

/** Asserts two vectors agree to float precision. */
export function assertClose(assert, actual, expected) {
  assert.equal(actual.length, expected.length);
  actual.forEach((x, i) => assert.ok(Math.abs(x - expected[i]) < 1e-6, `component ${i}: ${x} vs ${expected[i]}`));
}

export const url = process.env.SWITCHBOARD_URL ?? (() => { throw new Error('SWITCHBOARD_URL is not set'); })();
