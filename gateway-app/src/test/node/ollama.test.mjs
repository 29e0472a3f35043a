// The official `ollama` npm library against Switchboard's Ollama API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ollama } from 'ollama';
import { NATURAL, assertClose, chatPrompt, simulatedEmbedding, simulatedText, url } from './simulated.mjs';

const ollama = new Ollama({ host: url });

test('chat answers one object with the final counts and timings', async () => {
  const answer = await ollama.chat({ model: 'llama', messages: [{ role: 'user', content: 'hello' }], stream: false });

  assert.equal(answer.message.role, 'assistant');
  assert.equal(answer.message.content, simulatedText('hello'));
  assert.equal(answer.done, true);
  assert.equal(answer.done_reason, 'stop');
  assert.equal(answer.eval_count, NATURAL);
  assert.equal(answer.prompt_eval_count, 1);
  assert.ok(answer.total_duration > 0 && answer.total_duration >= answer.load_duration);
  assert.ok(answer.eval_duration >= 0 && answer.prompt_eval_duration >= 0);
});

test('chat streams the answer in parts ending with a done part', async () => {
  const parts = [];
  for await (const part of await ollama.chat({
    model: 'vllm',
    messages: [{ role: 'system', content: 'be brief' }, { role: 'user', content: 'hi' }],
    stream: true,
  })) {
    parts.push(part);
  }

  assert.ok(parts.length >= NATURAL + 1, `only ${parts.length} parts`);
  assert.ok(parts.slice(0, -1).every((part) => part.done === false));
  const last = parts.at(-1);
  assert.equal(last.done, true);
  assert.equal(last.done_reason, 'stop');
  assert.equal(last.eval_count, NATURAL);
  assert.equal(parts.map((part) => part.message.content).join(''), simulatedText(chatPrompt('be brief', 'hi')));
});

test('generate takes system, prompt and options.num_predict', async () => {
  const answer = await ollama.generate({
    model: 'sglang', system: 'be brief', prompt: 'hi', options: { num_predict: 4, temperature: 0 }, stream: false,
  });

  assert.equal(answer.response, simulatedText(chatPrompt('be brief', 'hi'), 4));
  assert.equal(answer.done_reason, 'length');
  assert.equal(answer.eval_count, 4);
});

test('generate streams', async () => {
  let text = '';
  let done;
  for await (const part of await ollama.generate({ model: 'llama', prompt: 'stream me', stream: true })) {
    text += part.response;
    done = part;
  }

  assert.equal(text, simulatedText('stream me'));
  assert.equal(done.done, true);
});

test('embed returns one 16-float vector per input', async () => {
  const answer = await ollama.embed({ model: 'llama', input: ['first', 'second'] });

  assert.equal(answer.embeddings.length, 2);
  assertClose(assert, answer.embeddings[0], simulatedEmbedding('first'));
  assertClose(assert, answer.embeddings[1], simulatedEmbedding('second'));
});

test('list shows what /v1/models lists', async () => {
  const listed = await ollama.list();
  const models = await (await fetch(`${url}/v1/models`)).json();

  assert.deepEqual(listed.models.map((m) => m.name).sort(), models.data.map((m) => m.id).sort());
  assert.ok(listed.models.every((m) => typeof m.digest === 'string' && m.details));
});

test('ps shows a loaded model with size_vram and expires_at', async () => {
  await ollama.generate({ model: 'llama', prompt: 'load', stream: false, keep_alive: '10m' });

  const running = await ollama.ps();
  const llama = running.models.find((m) => m.name === 'llama');
  assert.ok(llama, JSON.stringify(running));
  assert.equal(typeof llama.size_vram, 'number');
  const expires = new Date(llama.expires_at).getTime();
  assert.ok(expires > Date.now() + 8 * 60_000 && expires < Date.now() + 11 * 60_000, llama.expires_at);
});

test('show describes a model found by its alias', async () => {
  const shown = await ollama.show({ model: 'qwen2.5:7b' });

  assert.match(shown.modelfile, /FROM llama/);
  assert.ok(shown.details);
  assert.deepEqual(shown.capabilities, ['completion']);
});

test('a name:latest tag resolves to the model of that name', async () => {
  const answer = await ollama.chat({ model: 'vllm:latest', messages: [{ role: 'user', content: 'hello' }], stream: false });

  assert.equal(answer.message.content, simulatedText('hello'));
  assert.equal(answer.model, 'vllm:latest');
});

test('pull streams progress for an hf.co name, then the model is listed and can be deleted', async () => {
  const statuses = [];
  for await (const progress of await ollama.pull({ model: 'hf.co/org/tiny-GGUF:Q4_K_M', stream: true })) {
    statuses.push(progress);
  }

  assert.equal(statuses[0].status, 'pulling manifest');
  const downloading = statuses.filter((s) => s.total > 0);
  assert.ok(downloading.length > 0, JSON.stringify(statuses));
  assert.equal(downloading.at(-1).completed, downloading.at(-1).total);
  assert.match(downloading[0].digest, /^sha256:[0-9a-f]{64}$/);
  assert.equal(statuses.at(-1).status, 'success');
  assert.ok((await ollama.list()).models.some((m) => m.name === 'org/tiny-GGUF:Q4_K_M'));

  await ollama.delete({ model: 'hf.co/org/tiny-GGUF:Q4_K_M' });
  assert.ok(!(await ollama.list()).models.some((m) => m.name === 'org/tiny-GGUF:Q4_K_M'));
});

test('an unknown model is a ResponseError 404 in Ollama words', async () => {
  await assert.rejects(
    ollama.chat({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }),
    (error) => error.name === 'ResponseError' && error.status_code === 404 && error.error === "model 'nope' not found",
  );
  await assert.rejects(
    ollama.pull({ model: 'hf.co/org/missing-GGUF:Q4_K_M', stream: false }),
    (error) => error.name === 'ResponseError' && error.status_code === 404,
  );
});

test('keep_alive 0 unloads the model after the answer; an empty prompt loads it', async () => {
  const loaded = await ollama.generate({ model: 'old-vllm', prompt: '' });
  assert.equal(loaded.done_reason, 'load');
  assert.ok((await ollama.ps()).models.some((m) => m.name === 'old-vllm'));

  const answer = await ollama.generate({ model: 'old-vllm', prompt: 'bye', keep_alive: 0, stream: false });
  assert.equal(answer.response, simulatedText('bye'));
  const deadline = Date.now() + 30_000;
  while ((await ollama.ps()).models.some((m) => m.name === 'old-vllm')) {
    assert.ok(Date.now() < deadline, 'old-vllm is still loaded 30 s after keep_alive 0');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
});

test('version answers', async () => {
  assert.match((await ollama.version()).version, /^\d+\.\d+\.\d+$/);
});
